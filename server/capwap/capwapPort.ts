import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Server as SocketServer, type Namespace } from 'socket.io';
import { CAPWAP_NAMESPACE, ENROL_PATH, type ApToControllerEvents, type ControllerToApEvents } from '../../lib/capwapEvents';
import type { TLSSocket } from 'node:tls';
import type { ApTrust } from '../pki/apTrust';
import type { EventLine } from '../store/eventLog';
import { DropReport, RateWindow } from '../diagnostics/dropReport';
import { SourceConnections, type ApPortLimits } from './sourceConnections';
import { plainAddress } from '../../lib/netAddress';

// An enrolment request is a MAC, a token and a CSR: a few kilobytes at most.
const MAX_ENROL_BODY = 16 * 1024;
// An oversized body is still read (and dropped) up to this much, so that its sender reads the 413 rather
// than a connection reset; a sender of more is cut off once the answer is out.
const MAX_DRAINED_BODY = 4 * 1024 * 1024;
const ENROL_BODY_TOO_LARGE = `The enrolment request is larger than ${MAX_ENROL_BODY / 1024} KiB; it holds a MAC, a token and a CSR`;

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

type Body = { ok: true; text: string } | { ok: false; drained: boolean };

/** The request's body, or that it was too large (and whether all of it was read, so the answer can be read too). */
function readBody(req: IncomingMessage): Promise<Body> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_DRAINED_BODY) return resolve({ ok: false, drained: false });
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ENROL_BODY) chunks.push(chunk);
      else if (size > MAX_DRAINED_BODY) {
        req.pause();
        resolve({ ok: false, drained: false });
      }
    });
    req.on('end', () => resolve(size > MAX_ENROL_BODY ? { ok: false, drained: true } : { ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => resolve({ ok: false, drained: false }));
  });
}

const ACCEPT_BACKLOG = 4096;

/**
 * The AP port (`EWC_CAPWAP_PORT`): TLS with the local CA, on its own port so that no browser
 * page can reach it (browsers hold no AP certificate, and the console's HTTP port has no
 * `/capwap` namespace). It serves two things: `POST /enrol` (token + CSR, no client
 * certificate yet) and socket.io's `/capwap`, which admits only AP certificates.
 */
export class CapwapPort {
  // Image blocks are 64 KiB; leave room for the packet framing. WebSocket only: the client certificate is read from the one TLS connection.
  readonly io = new SocketServer({ maxHttpBufferSize: 1_000_000, serveClient: false, transports: ['websocket'] });
  private server: https.Server | null = null;
  /** Every TCP connection, finished TLS handshake or not, so that close() never waits on one a client left open. */
  private readonly connections = new Set<Socket>();
  private readonly enrolments: RateWindow;
  private readonly drops: DropReport;
  private readonly perSource: SourceConnections;

  constructor(
    private readonly trust: ApTrust,
    enrolmentsPerSecond: number,
    limits: ApPortLimits,
    log: (line: EventLine) => void,
  ) {
    this.enrolments = new RateWindow(enrolmentsPerSecond);
    this.drops = new DropReport(log);
    this.perSource = new SourceConnections(limits, this.drops);
  }

  get namespace(): Namespace<ApToControllerEvents, ControllerToApEvents> {
    return this.io.of(CAPWAP_NAMESPACE) as Namespace<ApToControllerEvents, ControllerToApEvents>;
  }

  /** Opens the CA, then listens; resolves with the port (useful with port 0). */
  async listen(port: number, host: string): Promise<number> {
    const ca = await this.trust.openCa([host]);
    const server = https.createServer(
      { key: ca.controllerKeyPem, cert: ca.controllerCertPem, ca: [ca.caCertPem], requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
      (req, res) => void this.request(req, res),
    );
    server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
      this.perSource.accepted(socket);
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      this.perSource.secured(socket);
      this.refuseForgedCertificate(socket);
    });
    this.io.attach(server);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // A campus of APs connects at once after a controller restart: a deep accept queue, not resets.
      server.listen({ port, host, backlog: ACCEPT_BACKLOG }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return (server.address() as AddressInfo).port;
  }

  get port(): number | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : null;
  }

  /**
   * A client certificate that is there but does not verify (another CA, a forged signature) ends
   * the connection at once. Node leaves OpenSSL's verify error queued on such a socket, so it
   * could not carry a clean refusal anyway; an AP without any certificate gets one from /capwap.
   */
  private refuseForgedCertificate(socket: TLSSocket): void {
    if (socket.authorized) return;
    const certificate = socket.getPeerCertificate();
    if (!certificate || !certificate.subject) return;
    const address = plainAddress(socket.remoteAddress);
    const reason = String(socket.authorizationError ?? 'not issued by this controller');
    this.drops.drop(
      'forged-certificate',
      () => ({ severity: 'warning', facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN', text: `AP connection from ${address} refused: its certificate does not verify (${reason})` }),
      (more) => ({ severity: 'warning', facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN', text: `${more} more AP connection(s) with a certificate that does not verify refused` }),
    );
    socket.destroy();
  }

  async close(): Promise<void> {
    this.drops.dispose();
    // A console whose AP port never listened (tests of the HTTP side) has nothing to close.
    if (!this.server) return;
    // io.close() also closes the https server it is attached to, which waits for every open connection.
    // socket.io's own promise settles before the server has closed; its callback waits for that.
    const closed = new Promise<void>((resolve) => void this.io.close(() => resolve()));
    for (const socket of this.connections) socket.destroy();
    await closed;
  }

  private async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://ap-port.invalid');
    if (url.pathname !== ENROL_PATH) return answer(res, 404, { error: 'Not found' });
    if (req.method !== 'POST') return answer(res, 405, { error: 'Use POST' });
    if (!this.enrolments.take()) return answer(res, 429, { error: 'Too many enrolments; try again in a second' });
    const read = await readBody(req);
    if (!read.ok) {
      answer(res, 413, { error: ENROL_BODY_TOO_LARGE }, { connection: 'close' });
      if (!read.drained) res.once('finish', () => req.destroy());
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(read.text);
    } catch {
      return answer(res, 400, { error: 'The enrolment request must be JSON' });
    }
    const source = plainAddress(req.socket.remoteAddress);
    try {
      const result = await this.trust.enrol(body, source);
      answer(res, result.status, result.body);
    } catch (error) {
      console.error('Enrolment error:', error instanceof Error ? error.message : error);
      answer(res, 500, { error: 'Internal error; see the console log.' });
    }
  }
}
