import fs from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestOptions, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { rootCertificates } from 'node:tls';
import path from 'node:path';
import type { ConsoleConfig } from '../config';
import { FORWARDED_HEADER, forwardProofFor, VIA_HEADER, type ForwardProof } from '../http/forwardProof';
import { isSecureTransport } from '../http/transport';
import { pkiDirOf } from '../pki/apTrust';
import { plainAddress } from '../../lib/netAddress';

/**
 * A node that does not lead forwards its web port to the leader's (pages, API, socket.io over
 * long-polling and WebSocket, RESTCONF, metrics), so that a browser, a script or a load balancer may use
 * any node and sees the one fleet and upgrade the leader holds. The request keeps the browser's Host (the
 * leader's origin check compares it with the browser's Origin) and carries this node's proof of the
 * client's address (server/http/forwardProof.ts); bodies stream both ways. When the leader does not
 * answer (killed, restarting, a takeover under way) the caller answers for itself (the standby's 503).
 */

// RFC 9110 §7.6.1: meant for one connection, never passed on (and whatever `Connection` names besides).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** A leader that accepts no connection within this is taken for gone (a frozen host drops SYNs rather than refusing them). */
const CONNECT_TIMEOUT_MS = 5_000;

export interface LeaderForwardOptions {
  /** This node's name, said in `X-EWC-Via` and in the proof. */
  node: string;
  proof: ForwardProof;
  /** EWC_SECURE_COOKIE: a TLS proxy serves this node's plain port, so its browsers came over TLS. */
  behindTlsProxy: boolean;
  /** The local CA's certificate (pki/ca.crt, the CA every node shares), which a leader's own HTTPS certificate is signed by. */
  caFile: string;
  /** EWC_TLS_CERT set on this node: the nodes present an organisation's certificate, so a leader's chains to a public or company root too. */
  organisationCertificates: boolean;
  /** Why a leader was not forwarded to, when its certificate is not trusted: said once, until a forward succeeds again. */
  log: (line: string) => void;
}

/**
 * What a node standing by forwards with, on a database other nodes share: from its plain port where that
 * serves the console (a loopback HOST, or a TLS proxy in front of one), and from its HTTPS port.
 */
export function leaderForwardFor(config: ConsoleConfig, node: string, log: (line: string) => void = (line) => console.log(line)): LeaderForward | null {
  const proof = forwardProofFor(config);
  if (!proof) return null;
  return new LeaderForward({
    node,
    proof,
    behindTlsProxy: config.secureCookie,
    caFile: path.join(pkiDirOf(config.dataDir), 'ca.crt'),
    organisationCertificates: config.https.certFile !== null,
    log,
  });
}

export class LeaderForward {
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true });
  private ca: string[] | null = null;
  /** The last certificate refusal logged, so that a page asking every second does not log it every second. */
  private untrusted: string | null = null;
  /** WebSockets passed through: the server forgets a connection once it is upgraded, so close() ends these itself. */
  private readonly tunnels = new Set<Duplex>();

  constructor(private readonly options: LeaderForwardOptions) {}

  /** Whether a request came through another node already: such a request is never forwarded again (no loop between two nodes that each think the other leads). */
  static alreadyForwarded(req: IncomingMessage): boolean {
    return req.headers[FORWARDED_HEADER] !== undefined;
  }

  /** Passes a request to the leader at `leaderOrigin` and its answer back; `unreachable` answers instead if the leader does not answer. */
  request(req: IncomingMessage, res: ServerResponse, leaderOrigin: URL, unreachable: () => void): void {
    const upstream = this.open(req, leaderOrigin, false);
    const fail = (error: Error) => {
      this.refused(leaderOrigin, error);
      req.unpipe(upstream);
      if (res.destroyed) return;
      if (!res.headersSent) unreachable();
      else res.destroy();
    };
    upstream.on('error', fail);
    upstream.on('response', (answer) => {
      this.untrusted = null;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, { ...endToEnd(answer.headers), [VIA_HEADER]: this.options.node });
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  /** Passes a WebSocket upgrade to the leader and then the bytes both ways; `unreachable` answers on the socket if the leader does not answer. */
  upgrade(req: IncomingMessage, client: Duplex, head: Buffer, leaderOrigin: URL, unreachable: () => void): void {
    const upstream = this.open(req, leaderOrigin, true);
    let answered = false;
    upstream.on('error', (error) => {
      this.refused(leaderOrigin, error);
      if (!answered && !client.destroyed) unreachable();
    });
    client.on('error', () => upstream.destroy());
    // The leader refused the upgrade (a foreign Host, the engine's own refusals): its answer goes back, ended by closing.
    upstream.on('response', (answer) => {
      answered = true;
      client.write(statusBlock(answer, this.options.node, { closing: true }));
      answer.pipe(client);
    });
    upstream.on('upgrade', (answer, tunnel, tunnelHead) => {
      answered = true;
      client.write(statusBlock(answer, this.options.node, { closing: false }));
      if (tunnelHead.length > 0) client.write(tunnelHead);
      if (head.length > 0) tunnel.write(head);
      this.tunnels.add(client);
      const end = () => {
        this.tunnels.delete(client);
        client.destroy();
        tunnel.destroy();
      };
      tunnel.on('error', end).on('close', end);
      client.on('error', end).on('close', end);
      tunnel.pipe(client).pipe(tunnel);
    });
    upstream.end();
  }

  /** Ends the WebSockets passed through and the idle connections to the leader: this node leads now, or stops. */
  close(): void {
    for (const tunnel of this.tunnels) tunnel.destroy();
    this.tunnels.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private open(req: IncomingMessage, leaderOrigin: URL, upgrade: boolean): ClientRequest {
    const headers: IncomingHttpHeaders = endToEnd(req.headers);
    if (upgrade) Object.assign(headers, { connection: 'Upgrade', upgrade: req.headers.upgrade });
    headers[FORWARDED_HEADER] = this.options.proof.sign(
      { node: this.options.node, address: plainAddress(req.socket.remoteAddress), secure: isSecureTransport(req, this.options.behindTlsProxy) },
      req.headers.host ?? '',
    );
    const secure = leaderOrigin.protocol === 'https:';
    const options: RequestOptions = {
      host: leaderOrigin.hostname.replace(/^\[|\]$/g, ''),
      port: leaderOrigin.port || (secure ? 443 : 80),
      method: req.method,
      path: req.url,
      headers,
      // An upgraded connection belongs to its WebSocket: never back into the keep-alive pool.
      agent: upgrade ? false : secure ? this.httpsAgent : this.httpAgent,
      ...(secure ? { ca: this.trustedRoots() } : {}),
    };
    const upstream = (secure ? httpsRequest : httpRequest)(options);
    upstream.on('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => upstream.destroy(new Error('the leader accepted no connection')), CONNECT_TIMEOUT_MS);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    return upstream;
  }

  /** Logs a leader whose certificate this node does not trust (the forward then answers the 503): its admin must know why. */
  private refused(leaderOrigin: URL, error: Error): void {
    if (!isCertificateRefusal(error)) return;
    const line = `node ${this.options.node}: not forwarding to the leader at ${leaderOrigin.origin}: its HTTPS certificate is not trusted here (${(error as NodeJS.ErrnoException).code}: ${error.message}); ${
      this.options.organisationCertificates
        ? "it must chain to a root Node.js trusts (NODE_EXTRA_CA_CERTS for a company's own) or to the nodes' shared CA"
        : "it must come from the CA the nodes share, or, being an organisation's, EWC_TLS_CERT must be set on this node too"
    }`;
    if (line === this.untrusted) return;
    this.untrusted = line;
    this.options.log(line);
  }

  /**
   * The roots a leader's certificate must chain to: the CA every node shares (pki/ca.crt, written once this
   * node joined the database, read at the first HTTPS forward), which issues the console's own certificate,
   * and, where the nodes present an organisation's certificate (EWC_TLS_CERT), Node's public roots and
   * NODE_EXTRA_CA_CERTS (a company's own root). Without EWC_TLS_CERT a public root is no reason to trust a
   * leader: any site can get such a certificate.
   */
  private trustedRoots(): string[] {
    this.ca ??= [
      ...(fs.existsSync(this.options.caFile) ? [fs.readFileSync(this.options.caFile, 'utf8')] : []),
      ...(this.options.organisationCertificates ? [...rootCertificates, ...extraCaCertificates()] : []),
    ];
    return this.ca;
  }
}

/** The certificates of NODE_EXTRA_CA_CERTS, which Node adds to its own roots, but not to a list given as `ca`. */
function extraCaCertificates(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return fs.readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  } catch {
    return [];
  }
}

/** A TLS verification failure (OpenSSL's codes: UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED, …, or a name the certificate does not hold), not a connection failure. */
function isCertificateRefusal(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /CERT|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|SELF_SIGNED/.test(code);
}

/** The headers meant for the other end: without hop-by-hop ones, nor any the `Connection` header names. */
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)));
}

/**
 * An answer's status line and headers as bytes, for a socket that is no HTTP response (an upgrade's). A
 * refusal's body is passed on decoded, so it is framed by closing the connection instead.
 */
function statusBlock(answer: IncomingMessage, via: string, { closing }: { closing: boolean }): string {
  const lines = [`HTTP/1.1 ${answer.statusCode ?? 502} ${answer.statusMessage ?? ''}`];
  for (let i = 0; i < answer.rawHeaders.length; i += 2) {
    const name = answer.rawHeaders[i].toLowerCase();
    if (closing && (HOP_BY_HOP.has(name) || name === 'content-length')) continue;
    lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
  }
  lines.push(`X-EWC-Via: ${via}`);
  if (closing) lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}
