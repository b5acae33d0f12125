import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { actorFromHeaders } from '@/lib/requestActor';
import { LOCALE_COOKIE, resolveLocale } from '@/lib/locale';
import { loadMessages } from '@/messages/loadMessages';
import { installedApis } from '@/server/http/consoleAccess';

// The console has no locale in its URLs (scripts and bookmarks keep their paths): the language comes
// from the logged-in account's choice, else the picker's cookie, else the browser's Accept-Language.
export default getRequestConfig(async () => {
  const requestHeaders = await headers();
  // The request gate resolved the session already; the login page has no actor and no account.
  const actor = actorFromHeaders(new Headers(requestHeaders));
  const account = actor ? await installedApis()?.accountLocale?.localeOf(actor.username) : null;
  const locale = resolveLocale({
    account,
    cookie: (await cookies()).get(LOCALE_COOKIE)?.value,
    acceptLanguage: requestHeaders.get('accept-language'),
  });
  return { locale, messages: await loadMessages(locale) };
});
