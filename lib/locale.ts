import { z } from 'zod';
import { FIELD_MESSAGES } from './validations/fieldMessages';

/**
 * The page's languages and how one is chosen for a request. Both the server (the request's locale)
 * and the page (the language picker) read this, so the list and the cookie's name live here once.
 */
export const LOCALES = ['en', 'es', 'fr', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en';

/** next-intl's own cookie name: the browser's choice before (and after) login. */
export const LOCALE_COOKIE = 'NEXT_LOCALE';

/** A year: the choice is a preference, not a session. */
export const LOCALE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

/** Each language named in itself, as a picker shows it to someone who cannot read the others. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', es: 'Español', fr: 'Français', 'zh-CN': '简体中文' };

/** What the picker sends to remember a language for the logged-in account (`PUT /api/auth/locale`). */
export const accountLocaleSchema = z.object({ locale: z.enum(LOCALES, { message: FIELD_MESSAGES.localeInvalid }) });

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** `zh`, `zh-Hans`, `zh-SG` read as zh-CN (the only Chinese offered); `es-MX` as es; unknown tags as nothing. */
function matchTag(tag: string): Locale | null {
  const lower = tag.trim().toLowerCase();
  if (lower === '' || lower === '*') return null;
  const exact = LOCALES.find((locale) => locale.toLowerCase() === lower);
  if (exact) return exact;
  const primary = lower.split('-')[0];
  return LOCALES.find((locale) => locale.toLowerCase().split('-')[0] === primary) ?? null;
}

/** The best of LOCALES for an `Accept-Language` header (quality values honoured), or null when none fits. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale | null {
  if (!acceptLanguage) return null;
  const ranked = acceptLanguage
    .split(',')
    .map((entry, index) => {
      const [tag, ...params] = entry.split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag ?? '', quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const entry of ranked) {
    const locale = matchTag(entry.tag);
    if (locale) return locale;
  }
  return null;
}

export interface LocaleSources {
  /** The logged-in account's remembered language (the users table's `locale`): it wins over the rest. */
  account?: string | null;
  /** The picker's cookie: this browser's last choice. */
  cookie?: string | null;
  acceptLanguage?: string | null;
}

/** The one order a request's language is chosen in: account, then this browser's cookie, then Accept-Language, then English. */
export function resolveLocale(sources: LocaleSources): Locale {
  if (isLocale(sources.account)) return sources.account;
  if (isLocale(sources.cookie)) return sources.cookie;
  return negotiateLocale(sources.acceptLanguage) ?? DEFAULT_LOCALE;
}
