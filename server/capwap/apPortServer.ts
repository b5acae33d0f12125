import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Server as SocketServer, type Namespace } from 'socket.io';
import { CAPWAP_NAMESPACE, ENROL_PATH, type ApToControllerEvents, type ControllerToApEvents } from '../../lib/capwapEvents';
import { plainAddress } from '../../lib/netAddress';
import type { EventLine } from '../store/eventLog';
import type { ApPortSettings } from './apPortProtocol';
import { DropReport, RateWindow } from '../diagnostics/dropReport';
import { SourceConnections } from './sourceConnections';
import { writeOneRecordAtATime } from './tlsRecordWrites';

// An enrolment request is a MAC, a token and a CSR: a few kilobytes at most.
const MAX_ENROL_BODY = 16 * 1024;
// An oversized body is still read (and dropped) up to this much, so that its sender reads the 413 rather
// than a connection reset; a sender of more is cut off once the answer is out.
const MAX_DRAINED_BODY = 4 * 1024 * 1024;
const ENROL_BODY_TOO_LARGE = `The enrolment request is larger than ${MAX_ENROL_BODY / 1024} KiB; it holds a MAC, a token and a CSR`;
const ACCEPT_BACKLOG = 4096;

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

export type Enrol = (body: unknown, source: string) => Promise<{ status: number; body: unknown }>;

/**
 * The AP port's listening side, in the AP port's worker: TLS with the local CA, on its own port so that no
 * browser page can reach it (browsers hold no AP certificate, and the console's HTTP port has no `/capwap`
 * namespace). It serves `POST /enrol` (token + CSR, no client certificate yet; the console's thread signs)
 * and socket.io's `/capwap`, which admits only AP certificates. Per-source caps and the handshake deadline
 * apply to every TCP connection before any TLS work.
 */
export class ApPortServer {
  // Image blocks are 64 KiB; leave room for the packet framing. WebSocket only: the client certificate is read from the one TLS connection.
  readonly io = new SocketServer({ maxHttpBufferSize: 1_000_000, serveClient: false, transports: ['websocket'] });
  private readonly server: https.Server;
  /** Every TCP connection, finished TLS handshake or not, so that close() never waits on one a client left open. */
  private readonly connections = new Set<Socket>();
  private readonly enrolments: RateWindow;
  private readonly drops: DropReport;
  private readonly perSource: SourceConnections;

  constructor(
    settings: ApPortSettings,
    log: (line: EventLine) => void,
    private readonly enrol: Enrol,
  ) {
    this.enrolments = new RateWindow(settings.enrolmentsPerSecond);
    this.drops = new DropReport(log);
    this.perSource = new SourceConnections(settings.limits, this.drops);
    const { keyPem, certPem, caPem } = settings.tls;
    this.server = https.createServer({ key: keyPem, cert: certPem, ca: [caPem], requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, (req, res) => void this.request(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
      this.perSource.accepted(socket);
    });
    this.server.on('secureConnection', (socket: TLSSocket) => {
      writeOneRecordAtATime(socket);
      this.perSource.secured(socket);
      this.refuseForgedCertificate(socket);
    });
    this.io.attach(this.server);
  }

  get namespace(): Namespace<ApToControllerEvents, ControllerToApEvents> {
    return this.io.of(CAPWAP_NAMESPACE) as Namespace<ApToControllerEvents, ControllerToApEvents>;
  }

  /** Resolves with the port (useful with port 0). */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      // A campus of APs connects at once after a controller restart: a deep accept queue, not resets.
      this.server.listen({ port, host, backlog: ACCEPT_BACKLOG }, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  async close(): Promise<void> {
    this.drops.dispose();
    if (!this.server.listening) return;
    // io.close() also closes the https server it is attached to, which waits for every open connection.
    // socket.io's own promise settles before the server has closed; its callback waits for that.
    const closed = new Promise<void>((resolve) => void this.io.close(() => resolve()));
    for (const socket of this.connections) socket.destroy();
    await closed;
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
    const result = await this.enrol(body, plainAddress(req.socket.remoteAddress));
    answer(res, result.status, result.body);
  }
}
