// Browser code imports this file: no node modules.

/**
 * Where the login page may send the user afterwards: `next` resolved the way the browser will resolve
 * it, kept only when it lands on the console's own origin. Browsers read `\` as `/` and drop tabs and
 * newlines inside URLs, so `/\evil` and `/%09/evil` are protocol-relative URLs to another host; a
 * prefix check on the raw text cannot see that, resolving it does.
 */
export function loginRedirectTarget(next: string | null | undefined, origin: string): string {
  if (!next) return '/';
  let target: URL;
  try {
    target = new URL(next, origin);
  } catch {
    return '/';
  }
  if (target.origin !== new URL(origin).origin) return '/';
  return `${target.pathname}${target.search}${target.hash}`;
}
