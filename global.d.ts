import type { Locale } from '@/lib/locale';
import type { Messages } from '@/messages/loadMessages';

// Typed keys: a misspelt message key or a missing ICU argument fails `tsc`.
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
