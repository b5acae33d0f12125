import { getTranslations } from 'next-intl/server';
import { LogoutButton } from '@/components/auth/LogoutButton';
import { LanguagePicker } from '@/components/layout/LanguagePicker';
import type { RequestActor } from '@/lib/requestActor';

// Heights of the bridge-like bars of the logo mark, left to right.
const LOGO_BARS = [6, 10, 14, 10, 6, 10, 14, 10, 6];

export async function TopBar({ user }: { user: RequestActor | null }) {
  const t = await getTranslations('topBar');
  return (
    <header className="topbar">
      <svg className="topbar-logo" viewBox="0 0 36 16" width="36" height="16" aria-hidden="true" focusable="false">
        {LOGO_BARS.map((height, index) => (
          <rect key={index} x={index * 4} y={(16 - height) / 2} width="2" height={height} rx="1" />
        ))}
      </svg>
      <span className="topbar-product">{t('product')}</span>
      <span className="topbar-user">
        <LanguagePicker forAccount={user !== null} />
        {user ? (
          <>
            <span data-testid="welcome">{t('welcome', { username: user.username })}</span>
            <span className="topbar-role" data-testid="role">
              {user.role}
            </span>
            <LogoutButton />
          </>
        ) : null}
      </span>
    </header>
  );
}
