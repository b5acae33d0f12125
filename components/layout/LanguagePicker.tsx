'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE_SECONDS, LOCALE_NAMES, LOCALES, isLocale } from '@/lib/locale';

/**
 * The page's language, remembered by this browser in a cookie the server reads on every request
 * (before login too) and, for a logged-in user, by their account, which wins on any browser they
 * log in from. Each language is named in itself, so anyone finds their own.
 */
export function LanguagePicker({ forAccount }: { forAccount: boolean }) {
  const t = useTranslations('topBar');
  const locale = useLocale();
  const router = useRouter();
  const choose = async (value: string) => {
    if (!isLocale(value)) return;
    // SameSite=Lax: the choice must also apply when the console is opened from a link elsewhere.
    document.cookie = `${LOCALE_COOKIE}=${value}; path=/; max-age=${LOCALE_COOKIE_MAX_AGE_SECONDS}; samesite=lax`;
    // The account's choice wins over the cookie, so the page is drawn again only once the account has it.
    // A refused save leaves the account's language as it was: the page stays in it and the picker shows it.
    if (forAccount) {
      await fetch('/api/auth/locale', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: value }) }).catch(() => undefined);
    }
    router.refresh();
  };
  return (
    <select className="topbar-language" aria-label={t('language')} data-testid="language-picker" value={locale} onChange={(event) => void choose(event.target.value)}>
      {LOCALES.map((value) => (
        <option key={value} value={value} lang={value}>
          {LOCALE_NAMES[value]}
        </option>
      ))}
    </select>
  );
}
