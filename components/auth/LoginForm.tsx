'use client';

import { useTranslations } from 'next-intl';
import { useRefusalText } from '@/components/ui/useServerSentence';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/Button';
import { formatClock } from '@/lib/dateTime';
import { loginRedirectTarget } from '@/lib/loginRedirect';
import { loginRefusalSchema } from '@/lib/validations/authSchemas';

export function LoginForm({ next }: { next: string | null }) {
  const t = useTranslations('login');
  const refusals = useTranslations('loginErrors');
  const otherRefusal = useRefusalText();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** The API's refusal in the page's language when it carries a code (or is the request gate's 429); else its own words. */
  const refusalText = async (response: Response): Promise<string> => {
    const retryAfter = Number(response.headers.get('retry-after'));
    if (response.status === 429 && Number.isInteger(retryAfter) && retryAfter > 0) return refusals('tooManyAttempts', { seconds: retryAfter });
    const body = loginRefusalSchema.safeParse(await response.json().catch(() => null));
    if (!body.success) return t('failed', { status: response.status });
    const { code, lockedUntil, error: english } = body.data;
    if (code === 'invalidCredentials') return refusals('invalidCredentials');
    if (code === 'accountLocked' && lockedUntil) return refusals('accountLocked', { time: formatClock(lockedUntil) });
    return otherRefusal({ error: english, code });
  };

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
      setError(await refusalText(response));
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
