import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostAddressClass, parseHostPort, urlAuthority } from '../../lib/netAddress';

/**
 * What the plain HTTP port does. On a loopback HOST nobody else can listen in, so it serves the
 * console as before (scripts and the first login need no certificate). On any other HOST a password
 * or session cookie sent over it would cross the network in clear: it only sends browsers to HTTPS.
 */
export type PlainHttpMode = 'serve' | 'redirect';

export function isLoopbackHost(host: string): boolean {
  return hostAddressClass(host) === 'loopback';
}

/** `alwaysRedirect`: EWC_PLAIN_HTTP_REDIRECT, an admin who wants HTTPS alone on a loopback HOST too (a machine shared with other users). */
export function plainHttpModeFor(host: string, alwaysRedirect = false): PlainHttpMode {
  return isLoopbackHost(host) && !alwaysRedirect ? 'serve' : 'redirect';
}

/** The same resource on the HTTPS port, under the host name the request used (already checked against EWC_ALLOWED_HOSTS). */
export function httpsLocation(hostHeader: string, httpsPort: number, path: string): string {
  const name = parseHostPort(hostHeader)?.host ?? hostHeader;
  return `https://${urlAuthority(name, httpsPort, 443)}${path.startsWith('/') ? path : '/'}`;
}

/**
 * The only answers of plain HTTP in redirect mode (and of RESTCONF paths on plain HTTP in any mode):
 * a page or any GET goes to the same path over HTTPS. A login or a change is refused rather than
 * redirected: its body (a password) has already crossed in clear, and a 307 would make the client send
 * it again, so the script that sent it learns to use HTTPS instead of silently working.
 */
export function answerWithHttps(req: IncomingMessage, res: ServerResponse, httpsPort: number): void {
  const location = httpsLocation(req.headers.host ?? '', httpsPort, req.url ?? '/');
  const headers = { 'cache-control': 'no-store', location };
  if (req.method === 'GET' || req.method === 'HEAD') {
    // 307, not 301: a browser would keep a permanent redirect after HOST is set back to loopback.
    res.writeHead(307, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : `This console is served over HTTPS: ${location}\n`);
    return;
  }
  res.writeHead(403, { ...headers, 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify({ error: `This console takes logins and changes over HTTPS only: ${location}` }));
}
