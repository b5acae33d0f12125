import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { forwardedClientOf } from './forwardProof';

/**
 * Whether the browser reached the console over TLS: the HTTPS port itself, or the plain port behind a
 * TLS proxy the admin declared (`EWC_SECURE_COOKIE=1`), or, for a request another console node forwarded
 * with a valid proof, how the browser reached that node. It decides which session cookie a request carries
 * and is given (see cookies.ts).
 */
export function isSecureTransport(req: IncomingMessage, behindTlsProxy: boolean): boolean {
  const forwarded = forwardedClientOf(req);
  if (forwarded) return forwarded.secure;
  return (req.socket as Partial<TLSSocket>).encrypted === true || behindTlsProxy;
}
