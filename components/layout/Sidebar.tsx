import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { Role } from '@/lib/validations/authSchemas';

const ADMINISTRATION_PAGES = [
  { href: '/administration/software-management/software-upgrade', label: 'softwareUpgrade', adminOnly: false },
  { href: '/administration/software-management/upgrade-history', label: 'upgradeHistory', adminOnly: false },
  { href: '/administration/user-administration', label: 'userAdministration', adminOnly: true },
  { href: '/administration/ap-authorization', label: 'apAuthorization', adminOnly: true },
  // Monitors see the syslog servers and how their feeds are going, read-only.
  { href: '/administration/logging', label: 'logging', adminOnly: false },
] as const;

/**
 * Only Administration has pages in this console, so it is the only section shown: the EWC's other
 * sections (Dashboard, Monitoring, Configuration, Licensing, Troubleshooting) would be links that go nowhere.
 */
export async function Sidebar({ role }: { role: Role }) {
  const t = await getTranslations('nav');
  return (
    <nav className="sidebar" aria-label={t('main')}>
      <ul>
        <li>
          <Link href={ADMINISTRATION_PAGES[0].href} className="sidebar-item sidebar-item-selected">
            {t('administration')}
          </Link>
          <ul className="sidebar-sub">
            {ADMINISTRATION_PAGES.filter((page) => role === 'admin' || !page.adminOnly).map((page) => (
              <li key={page.href}>
                <Link href={page.href} className="sidebar-subitem">
                  {t(page.label)}
                </Link>
              </li>
            ))}
          </ul>
        </li>
      </ul>
    </nav>
  );
}
