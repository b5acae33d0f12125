import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * Whether the browser reached the console over TLS: the HTTPS port itself, or the plain port behind a
 * TLS proxy the admin declared (`EWC_SECURE_COOKIE=1`). It decides which session cookie a request
 * carries and is given (see cookies.ts).
 */
export function isSecureTransport(req: IncomingMessage, behindTlsProxy: boolean): boolean {
  return (req.socket as Partial<TLSSocket>).encrypted === true || behindTlsProxy;
}
