'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { markLeaving } from './leavingPage';

/** Ends the session on the server too, then leaves for the login page. */
export function LogoutButton() {
  const t = useTranslations('topBar');
  const [busy, setBusy] = useState(false);
  const logout = async () => {
    setBusy(true);
    markLeaving();
    await fetch('/api/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
    window.location.assign('/login');
  };
  return (
    <button type="button" className="topbar-logout" onClick={logout} disabled={busy}>
      {t('logout')}
    </button>
  );
}
