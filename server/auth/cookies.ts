// No node imports: route handlers and middleware use these as well as the custom server.

export const SESSION_COOKIE = 'ewc_session';

export interface SessionCookieOptions {
  maxAgeSeconds: number;
  /** Only behind https: on the default plain-http loopback console a Secure cookie would never come back. */
  secure?: boolean;
}

function attributes(maxAgeSeconds: number, secure: boolean | undefined): string {
  const parts = ['Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

/** The Set-Cookie value that hands a browser its session id. */
export function sessionCookie(sessionId: string, options: SessionCookieOptions): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(sessionId)}; ${attributes(options.maxAgeSeconds, options.secure)}`;
}

/** The Set-Cookie value that makes a browser forget its session id (on logout). */
export function clearSessionCookie(options: { secure?: boolean } = {}): string {
  return `${SESSION_COOKIE}=; ${attributes(0, options.secure)}`;
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

/** The session id a request carries, if any. */
export function sessionIdFromCookie(header: string | null | undefined): string | null {
  return parseCookie(header)[SESSION_COOKIE] || null;
}
