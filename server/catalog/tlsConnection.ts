import http, { type IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { CatalogError, type SeenCertificate } from './catalogError';

/**
 * How a catalog's certificate is trusted: the system's trust store, plus a CA the admin
 * provided, or one certificate fingerprint the admin trusted once (as SSH host keys are).
 */
export interface CatalogTrust {
  caPem: string | null;
  fingerprint: string | null;
}

export interface TlsRequestOptions {
  trust: CatalogTrust;
  timeoutMs: number;
  signal?: AbortSignal;
}

const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  EHOSTUNREACH: 'Host unreachable',
  ENETUNREACH: 'Network unreachable',
  ENOTFOUND: 'Host not found',
  EAI_AGAIN: 'Host not found',
  ECONNRESET: 'Connection reset',
  EPIPE: 'Connection reset',
};

function describeName(name: tls.PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

/** Turns a socket error into the controller's words; certificate errors are handled before. */
export function toCatalogError(error: unknown): CatalogError {
  if (error instanceof CatalogError) return error;
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  const reason = SOCKET_ERRORS[code];
  return new CatalogError('unreachable', reason ?? ((error as Error)?.message || 'Connection failed'));
}

/**
 * Opens TLS and checks the certificate before a single byte of the request is written:
 * against the trusted fingerprint when there is one, else against the system store and the
 * admin's CA, host name included. A failure carries the certificate seen.
 */
export function connectVerified(url: URL, options: TlsRequestOptions): Promise<TLSSocket> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  const { trust, timeoutMs, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CatalogError('cancelled', 'Cancelled'));
    const socket = tls.connect({
      host,
      port,
      servername: isIP(host) ? undefined : host,
      ca: trust.caPem ? [...tls.rootCertificates, trust.caPem] : undefined,
      // Verified by hand below, so that a failure can show the certificate's fingerprint.
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const fail = (error: CatalogError) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new CatalogError('timeout', 'Timed out')), timeoutMs);
    const onAbort = () => fail(new CatalogError('cancelled', 'Cancelled'));
    const onError = (error: Error) => fail(toCatalogError(error));
    const cleanup = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      const seen: SeenCertificate = { fingerprint: peer.fingerprint256 ?? '', subject: describeName(peer.subject), issuer: describeName(peer.issuer) };
      const trusted = trust.fingerprint ? seen.fingerprint === trust.fingerprint : socket.authorized;
      if (!trusted) {
        const why = trust.fingerprint ? `fingerprint ${seen.fingerprint} is not the trusted ${trust.fingerprint}` : `${socket.authorizationError ?? 'untrusted certificate'} (fingerprint ${seen.fingerprint})`;
        return fail(new CatalogError('certificate', `Certificate verification failed: ${why}`, seen));
      }
      cleanup();
      resolve(socket);
    });
  });
}

export interface TlsRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** One HTTP/1.1 request over a freshly verified TLS connection; an idle socket ends it with `Timed out`. */
export async function tlsRequest(url: URL, request: TlsRequest, options: TlsRequestOptions): Promise<IncomingMessage> {
  const socket = await connectVerified(url, options);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname,
      port: url.port || 443,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers: { host: url.host, ...request.headers },
      createConnection: () => socket,
      signal: options.signal,
    });
    let response: IncomingMessage | null = null;
    // An idle link ends the request, or the body being read, with the controller's `Timed out`.
    socket.setTimeout(options.timeoutMs, () => {
      const timedOut = new CatalogError('timeout', 'Timed out');
      if (response) response.destroy(timedOut);
      else req.destroy(timedOut);
    });
    req.once('response', (answer) => {
      response = answer;
      resolve(answer);
    });
    req.once('error', (error) => reject(options.signal?.aborted ? new CatalogError('cancelled', 'Cancelled') : toCatalogError(error)));
    req.end(request.body);
  });
}

/** Reads a small JSON answer (the catalog's, never a file). */
export async function readJson(response: IncomingMessage, limit = 4 << 20): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new CatalogError('protocol', 'The catalog answer is too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new CatalogError('protocol', 'The catalog answered something that is not JSON');
  }
}
