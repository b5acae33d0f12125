'use client';

import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { loginRedirectTarget } from '@/lib/loginRedirect';

export function LoginForm({ next }: { next: string | null }) {
  const t = useTranslations('login');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const response = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (response.ok) {
        // Only paths of this console: anything else would make the login page an open redirect.
        window.location.assign(loginRedirectTarget(next, window.location.origin));
        return;
      }
      const body = (await response.json().catch(() => null)) as { error?: string } | null;
      setError(body?.error ?? t('failed', { status: response.status }));
    } catch {
      setError(t('unreachable'));
    }
    setPassword('');
    setBusy(false);
  };

  return (
    <form className="login-form" onSubmit={submit} noValidate>
      <h1 className="login-title">{t('title')}</h1>
      <label htmlFor="login-username">{t('userName')}</label>
      <input id="login-username" className="input" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
      <label htmlFor="login-password">{t('password')}</label>
      <input id="login-password" className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      {error ? (
        <p role="alert" className="login-error" data-testid="login-error">
          {error}
        </p>
      ) : null}
      <Button type="submit" variant="primary" disabled={busy || username === '' || password === ''}>
        {busy ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
