import http, { type IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { escapeLogText } from '../../lib/logText';
import { CatalogError, type SeenCertificate } from './catalogError';
import { resolveCatalogHost, type CatalogNetwork } from './catalogNetwork';
import { stripBrackets } from '../../lib/netAddress';

/**
 * How a catalog's certificate is trusted: the system's trust store, plus a CA the admin
 * provided, or one certificate fingerprint the admin trusted once (as SSH host keys are).
 */
export interface CatalogTrust {
  caPem: string | null;
  fingerprint: string | null;
}

/** The catalog's end of a connection whose certificate verified: what the controller connected to and trusted. */
export interface VerifiedPeer {
  address: string;
  port: number;
  subject: string;
  fingerprint: string;
}

export interface TlsRequestOptions {
  trust: CatalogTrust;
  /** Told once the certificate of a new connection verified, before a byte of the request is written. */
  onVerified?: (peer: VerifiedPeer) => void;
  /** Address rules and transfer limits (idle timeout, minimum rate, deadline). */
  network: Pick<CatalogNetwork, 'timeoutMs' | 'minBytesPerSecond' | 'deadlineMs' | 'allowLoopback' | 'resolve'>;
  signal?: AbortSignal;
}

// A fixed set of reasons: a remote's own error text never comes back to whoever typed the URL,
// so the catalog URL cannot read out what some other service on the network answers.
const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  EHOSTUNREACH: 'Host unreachable',
  ENETUNREACH: 'Network unreachable',
  ENOTFOUND: 'Host not found',
  EAI_AGAIN: 'Host not found',
  ECONNRESET: 'Connection reset',
  EPIPE: 'Connection reset',
  ETIMEDOUT: 'Timed out',
  EPROTO: 'TLS handshake failed',
};

// A certificate's names are the remote's text too.
function describeName(name: tls.PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return escapeLogText(
    Object.entries(name)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
      .join(', '),
  ).slice(0, 300);
}

/** Turns a socket error into the controller's words, one of a fixed set; certificate errors are handled before. */
export function toCatalogError(error: unknown): CatalogError {
  if (error instanceof CatalogError) return error;
  const code = String((error as NodeJS.ErrnoException)?.code ?? '');
  const reason = SOCKET_ERRORS[code] ?? (code.startsWith('ERR_SSL') ? 'TLS handshake failed' : 'Connection failed');
  return new CatalogError('unreachable', reason);
}

/**
 * Opens TLS and checks the certificate before a single byte of the request is written:
 * against the trusted fingerprint when there is one, else against the system store and the
 * admin's CA, host name included. A failure carries the certificate seen. The address is checked
 * against the catalog address rules first (resolved names too), and the connection goes to the
 * very address checked.
 */
export async function connectVerified(url: URL, options: TlsRequestOptions): Promise<TLSSocket> {
  const host = stripBrackets(url.hostname);
  const port = Number(url.port || 443);
  const { trust, network, signal } = options;
  if (signal?.aborted) throw new CatalogError('cancelled', 'Cancelled');
  const address = await resolveCatalogHost(host, network);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CatalogError('cancelled', 'Cancelled'));
    const socket = tls.connect({
      host: address,
      port,
      // The name, for SNI and the certificate's host name check; an address literal is checked as itself.
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
    const timer = setTimeout(() => fail(new CatalogError('timeout', 'Timed out')), network.timeoutMs);
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
        const why = trust.fingerprint
          ? `fingerprint ${seen.fingerprint} is not the trusted ${trust.fingerprint}`
          : `${socket.authorizationError ?? 'untrusted certificate'} (fingerprint ${seen.fingerprint})`;
        return fail(new CatalogError('certificate', `Certificate verification failed: ${why}`, seen));
      }
      cleanup();
      options.onVerified?.({ address, port, subject: seen.subject, fingerprint: seen.fingerprint });
      resolve(socket);
    });
  });
}

/**
 * Ends a request whose transfer crawls or drags on: fewer than `minBytesPerSecond` over a span of
 * `timeoutMs` (a server dripping a byte now and then is never idle), or longer than `deadlineMs` in all.
 */
function watchTransfer(socket: TLSSocket, network: TlsRequestOptions['network'], end: (error: CatalogError) => void): void {
  const { timeoutMs, minBytesPerSecond, deadlineMs } = network;
  const deadline = setTimeout(() => end(new CatalogError('timeout', `Timed out: not finished within ${Math.round(deadlineMs / 1000)} s`)), deadlineMs);
  let counted = socket.bytesRead;
  const minimum = Math.ceil((minBytesPerSecond * timeoutMs) / 1000);
  const rate =
    minimum > 0
      ? setInterval(() => {
          const read = socket.bytesRead - counted;
          counted = socket.bytesRead;
          if (read < minimum) end(new CatalogError('timeout', `Too slow: ${read} bytes in ${Math.round(timeoutMs / 1000)} s, less than the minimum of ${minBytesPerSecond} bytes/s`));
        }, timeoutMs)
      : null;
  socket.once('close', () => {
    clearTimeout(deadline);
    if (rate) clearInterval(rate);
  });
}

export interface TlsRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Told when the whole request was handed to the connection. */
  onSent?: () => void;
}

/** One HTTP/1.1 request over a freshly verified TLS connection; an idle, crawling or overlong transfer ends it. */
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
    const end = (error: CatalogError) => {
      if (response) response.destroy(error);
      else req.destroy(error);
    };
    // An idle link ends the request, or the body being read, with the controller's `Timed out`.
    socket.setTimeout(options.network.timeoutMs, () => end(new CatalogError('timeout', 'Timed out')));
    watchTransfer(socket, options.network, end);
    req.once('response', (answer) => {
      response = answer;
      resolve(answer);
    });
    req.once('error', (error) => reject(options.signal?.aborted ? new CatalogError('cancelled', 'Cancelled') : toCatalogError(error)));
    if (request.onSent) req.once('finish', request.onSent);
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
