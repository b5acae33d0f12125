import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { LOCALE_COOKIE, resolveLocale } from '@/lib/locale';
import { loadMessages } from '@/messages/loadMessages';

// The console has no locale in its URLs (scripts and bookmarks keep their paths): the language comes
// from the picker's cookie, else the browser's Accept-Language.
export default getRequestConfig(async () => {
  const locale = resolveLocale({
    account: undefined,
    cookie: (await cookies()).get(LOCALE_COOKIE)?.value,
    acceptLanguage: (await headers()).get('accept-language'),
  });
  return { locale, messages: await loadMessages(locale) };
});
