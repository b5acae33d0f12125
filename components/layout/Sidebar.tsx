import Link from 'next/link';

const SOFTWARE_UPGRADE_PATH = '/administration/software-management/software-upgrade';

// Only Administration has pages in this console; the others are shown to keep the EWC's familiar layout.
const SECTIONS = ['Dashboard', 'Monitoring', 'Configuration', 'Administration', 'Licensing', 'Troubleshooting'] as const;
const CURRENT: (typeof SECTIONS)[number] = 'Administration';

export function Sidebar() {
  return (
    <nav className="sidebar" aria-label="Main">
      <ul>
        {SECTIONS.map((section) => (
          <li key={section}>
            {section === CURRENT ? (
              <Link href={SOFTWARE_UPGRADE_PATH} className="sidebar-item sidebar-item-selected" aria-current="page">
                {section}
              </Link>
            ) : (
              <span className="sidebar-item sidebar-item-unavailable" aria-disabled="true" title="Not available in this console">
                {section}
              </span>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
