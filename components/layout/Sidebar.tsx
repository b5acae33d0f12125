import Link from 'next/link';
import type { Role } from '@/lib/validations/authSchemas';

const ADMINISTRATION_PAGES = [
  { href: '/administration/software-management/software-upgrade', label: 'Software Upgrade', adminOnly: false },
  { href: '/administration/software-management/upgrade-history', label: 'Upgrade History', adminOnly: false },
  { href: '/administration/user-administration', label: 'User Administration', adminOnly: true },
  { href: '/administration/ap-authorization', label: 'AP Authorization', adminOnly: true },
  // Monitors see the syslog servers and how their feeds are going, read-only.
  { href: '/administration/logging', label: 'Logging', adminOnly: false },
] as const;

/**
 * Only Administration has pages in this console, so it is the only section shown: the EWC's other
 * sections (Dashboard, Monitoring, Configuration, Licensing, Troubleshooting) would be links that go nowhere.
 */
export function Sidebar({ role }: { role: Role }) {
  return (
    <nav className="sidebar" aria-label="Main">
      <ul>
        <li>
          <Link href={ADMINISTRATION_PAGES[0].href} className="sidebar-item sidebar-item-selected">
            Administration
          </Link>
          <ul className="sidebar-sub">
            {ADMINISTRATION_PAGES.filter((page) => role === 'admin' || !page.adminOnly).map((page) => (
              <li key={page.href}>
                <Link href={page.href} className="sidebar-subitem">
                  {page.label}
                </Link>
              </li>
            ))}
          </ul>
        </li>
      </ul>
    </nav>
  );
}
