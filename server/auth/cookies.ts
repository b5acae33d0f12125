// No node imports: route handlers and middleware use these as well as the custom server.

export const SESSION_COOKIE = 'ewc_session';

/**
 * The session cookie over HTTPS. Browsers accept a `__Host-` cookie only when it is Secure, set by an
 * https page, with Path=/ and no Domain, so no plain-HTTP answer (a man in the middle, another port of
 * the same host) can plant or replace it; and HTTPS reads only this one, so a session set over
 * loopback HTTP is never taken for an HTTPS one.
 */
export const SECURE_SESSION_COOKIE = '__Host-ewc_session';

export function sessionCookieName(secure: boolean | undefined): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

export interface SessionCookieOptions {
  maxAgeSeconds: number;
  /** The request came over HTTPS (or through a TLS proxy, EWC_SECURE_COOKIE): the Secure `__Host-` cookie. */
  secure?: boolean;
}

function attributes(maxAgeSeconds: number, secure: boolean | undefined): string {
  const parts = ['Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** The Set-Cookie value that hands a browser its session id. */
export function sessionCookie(sessionId: string, options: SessionCookieOptions): string {
  return `${sessionCookieName(options.secure)}=${encodeURIComponent(sessionId)}; ${attributes(options.maxAgeSeconds, options.secure)}`;
}

/** The Set-Cookie value that makes a browser forget its session id (on logout). */
export function clearSessionCookie(options: { secure?: boolean } = {}): string {
  return `${sessionCookieName(options.secure)}=; ${attributes(0, options.secure)}`;
}

/**
 * Parses a Cookie request header. The first occurrence of a name wins, as browsers list the
 * most specific cookie first; the result has no prototype so a cookie named `__proto__` is just a name.
 */
export function parseCookie(header: string | null | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null);
  if (!header) return cookies;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq).trim();
    if (!name || name in cookies) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

/** The session id a request carries, if any: over a secure transport only from the `__Host-` cookie. */
export function sessionIdFromCookie(header: string | null | undefined, secure = false): string | null {
  return parseCookie(header)[sessionCookieName(secure)] || null;
}
