import type { Locale } from '@/lib/locale';
import type en from './en.json';

export type Messages = typeof en;

/** One catalogue per language, loaded only for the request's language. */
export async function loadMessages(locale: Locale): Promise<Messages> {
  switch (locale) {
    case 'es':
      return (await import('./es.json')).default;
    case 'fr':
      return (await import('./fr.json')).default;
    case 'zh-CN':
      return (await import('./zh-CN.json')).default;
    default:
      return (await import('./en.json')).default;
  }
}
