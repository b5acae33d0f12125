// Browser code imports this file: no node modules.

/**
 * Where the login page may send the user afterwards: `next` resolved the way the browser will resolve
 * it, kept only when it is a path on the console's own origin, else the landing page `/`.
 *
 * Browsers read `\` as `/` and drop tabs and newlines inside URLs, so `/\evil` and `/%09/evil` are
 * protocol-relative URLs to another host; a prefix check on the raw text cannot see that, resolving
 * it does. Resolving is not enough either: dot segments collapse, so `/.//evil.example` and
 * `/x/..//evil.example` resolve to the path `//evil.example`, which `location.assign` reads again as
 * a scheme-relative URL. The resolved path must therefore start with exactly one `/`.
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
  if (!target.pathname.startsWith('/') || /^\/[/\\]/.test(target.pathname)) return '/';
  return `${target.pathname}${target.search}${target.hash}`;
}
