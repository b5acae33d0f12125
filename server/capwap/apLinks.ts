import type { TLSSocket } from 'node:tls';
import type { Namespace } from 'socket.io';
import { apJoinInfoSchema, type ApJoinInfo, type ApToControllerEvents, type ControllerToApEvents } from '../../lib/capwapEvents';
import { precheckReplySchema, reloadReplySchema } from '../../lib/capwapReplies';
import { escapeLogText, logTextCut } from '../../lib/logText';
import { plainAddress } from '../../lib/netAddress';
import type { EventLine } from '../store/eventLog';
import { DropReport, RateWindow } from '../diagnostics/dropReport';
import { ApSessionError, PROGRESS_INTERVAL_MS, type LinkRequest, type LinkResults, type SessionEndpoints } from './apPortProtocol';
import { ACK_TIMEOUT_MS, parseReply, streamImage, type CapwapSocket, type SendToAp } from './imageStream';
import type { Outbox } from './outbox';

type CapwapNamespace = Namespace<ApToControllerEvents, ControllerToApEvents>;

interface Link {
  socket: CapwapSocket;
  /**
   * Rejects when the AP's connection drops. socket.io only fails a pending ack at its timeout;
   * racing every request against this ends a transfer the moment the AP is gone, so the row
   * says Failed (and the retry can resume) instead of Predownloading for half a minute.
   */
  dropped: Promise<never>;
}

interface Delivery {
  id: number;
  abort: AbortController;
  acknowledged: number;
  reported: number;
  /** Whether the console has been told where the AP resumes (the first count, posted at once, never folded into a later one). */
  started: boolean;
}

type Admission = { ok: true } | { ok: false; reason: string };

const joinLine = (text: string): EventLine => ({ severity: 'warning', facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN', text });

function formatIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
}

/**
 * What the AP port can check of a join by itself: a client certificate from the local CA, join info of
 * the right shape, and a certificate issued for the MAC the AP claims. The rest (the AP authorization
 * list, one session per MAC, EWC_MAX_APS, the join rate) is the console's to decide.
 */
function checkJoin(tls: TLSSocket, auth: unknown): { ok: true; info: ApJoinInfo; serial: string } | { ok: false; reason: string } {
  const certificate = typeof tls.getPeerCertificate === 'function' ? tls.getPeerCertificate() : null;
  if (!tls.authorized || !certificate?.subject) return { ok: false, reason: "no valid AP certificate from this controller's CA" };
  const parsed = apJoinInfoSchema.safeParse(auth);
  if (!parsed.success) return { ok: false, reason: escapeLogText(formatIssues(parsed.error.issues)) };
  const info = parsed.data;
  if (certificate.subject.CN !== info.mac) return { ok: false, reason: `the certificate is for ${escapeLogText(String(certificate.subject.CN))}, not ${info.mac}` };
  return { ok: true, info, serial: certificate.serialNumber.toUpperCase() };
}

/**
 * The AP port's side of the `/capwap` namespace: every AP's socket, the requests the console sends it
 * (each answered once, parsed), and its log lines within the per-AP rate, cut to length.
 */
export class ApLinks {
  private nextLink = 1;
  private readonly admissions = new Map<number, (answer: Admission) => void>();
  private readonly links = new Map<number, Link>();
  /** Links the console admitted whose socket.io connection is not complete yet: undefined if it closes first. */
  private readonly connecting = new Map<number, Promise<Link | undefined>>();
  private readonly deliveries = new Map<number, Delivery>();
  private readonly drops: DropReport;
  private readonly progressTimer: NodeJS.Timeout;

  constructor(
    private readonly namespace: CapwapNamespace,
    private readonly outbox: Outbox,
    private readonly options: { logLinesPerSecond: number; logLineMaxLength: number },
  ) {
    this.drops = new DropReport((line) => outbox.post({ type: 'log', line }));
    namespace.use((socket, next) => this.admit(socket, next));
    namespace.on('connection', (socket) => this.connected(socket));
    this.progressTimer = setInterval(() => this.reportProgress(), PROGRESS_INTERVAL_MS);
    this.progressTimer.unref();
  }

  admitted(link: number, answer: Admission): void {
    this.admissions.get(link)?.(answer);
  }

  disconnect(linkId: number): void {
    const link = this.links.get(linkId);
    if (link) link.socket.disconnect(true);
    else void this.connecting.get(linkId)?.then((connected) => connected?.socket.disconnect(true));
  }

  cancel(id: number): void {
    this.deliveries.get(id)?.abort.abort();
  }

  versionMismatch(linkId: number, controllerVersion: string): void {
    const notify = (link: Link | undefined) => {
      if (link?.socket.connected) link.socket.emit('image:version-mismatch', { controllerVersion });
    };
    const link = this.links.get(linkId);
    if (link) notify(link);
    else void this.connecting.get(linkId)?.then(notify);
  }

  stopping(reason: string): void {
    this.namespace.emit('controller:stopping', { reason });
  }

  dispose(): void {
    clearInterval(this.progressTimer);
    this.drops.dispose();
  }

  /** Runs one request of the console on an AP's link and posts its one reply. */
  async request(id: number, linkId: number, request: LinkRequest): Promise<void> {
    const delivery: Delivery | null = request.op === 'deliver' ? { id, abort: new AbortController(), acknowledged: 0, reported: 0, started: false } : null;
    if (delivery) this.deliveries.set(id, delivery);
    try {
      const value = await this.run(this.links.get(linkId) ?? (await this.connecting.get(linkId)), request, delivery);
      this.outbox.post({ type: 'reply', id, ok: true, value, acknowledged: delivery?.acknowledged });
    } catch (error) {
      const kind = error instanceof ApSessionError ? 'session' : 'internal';
      this.outbox.post({ type: 'reply', id, ok: false, failure: { kind, message: (error as Error).message }, acknowledged: delivery?.acknowledged });
    } finally {
      this.deliveries.delete(id);
    }
  }

  private async run(link: Link | undefined, request: LinkRequest, delivery: Delivery | null): Promise<LinkResults[keyof LinkResults]> {
    // An abort is best effort: the AP may be gone, and a gone AP has nothing to drop.
    if (request.op === 'abort') {
      const abort = request.cannotStart ? { reason: request.reason, cannotStart: true } : { reason: request.reason };
      if (link?.socket.connected)
        await link.socket
          .timeout(5000)
          .emitWithAck('image:abort', abort)
          .catch(() => undefined);
      return null;
    }
    if (!link?.socket.connected) throw new ApSessionError('AP is not connected');
    const send: SendToAp = async (emit) => {
      if (!link.socket.connected) throw new ApSessionError('AP is not connected');
      try {
        return await Promise.race([emit(link.socket), link.dropped]);
      } catch (error) {
        if (error instanceof ApSessionError) throw error;
        throw new ApSessionError(link.socket.connected ? 'AP did not answer in time' : 'AP disconnected');
      }
    };
    if (request.op === 'precheck') return parseReply(precheckReplySchema, 'precheck', await send((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('image:precheck', request.offer)));
    if (request.op === 'reload') return parseReply(reloadReplySchema, 'reload', await send((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('ap:reload')));
    const hooks = delivery!;
    return streamImage(send, request.offer, request.filePath, {
      signal: hooks.abort.signal,
      maxResumeOffset: request.maxResumeOffset,
      onAcknowledged: (bytes) => {
        hooks.acknowledged = bytes;
        // The first count is where the AP resumes (what it held before): the console counts delivered bytes from it,
        // so it must arrive as it is, not folded into the next interval's count with bytes sent since.
        if (hooks.started) return;
        hooks.started = true;
        hooks.reported = bytes;
        this.outbox.post({ type: 'progress', acknowledged: [[hooks.id, bytes]] });
      },
    });
  }

  /** Every join goes to the console, refused or not: the console logs and counts it, then the AP reads the answer. */
  private admit(socket: CapwapSocket, next: (error?: Error) => void): void {
    const tcp = socket.request.socket;
    const address = plainAddress(socket.handshake.address);
    const endpoints: SessionEndpoints = { ap: { address, port: tcp.remotePort ?? 0 }, controller: { address: plainAddress(tcp.localAddress), port: tcp.localPort ?? 0 } };
    const checked = checkJoin(tcp as TLSSocket, socket.handshake.auth);
    // engine.io keeps the upgrade request (its IncomingMessage, raw headers, parser leftovers) for the
    // connection's whole life; nothing reads it after this (socket.io copied the handshake), and thousands of APs each held one.
    (socket.conn as unknown as { request: unknown }).request = null;
    const link = this.nextLink++;
    this.admissions.set(link, (answer) => {
      this.admissions.delete(link);
      if (!answer.ok) return next(new Error(`Join refused: ${answer.reason}`));
      // The console holds the session from its answer on, and may send requests before socket.io has connected the socket.
      let ready!: (link: Link | undefined) => void;
      this.connecting.set(link, new Promise((resolve) => (ready = resolve)));
      let left = false;
      // Said once per admitted link, whether it dropped before or after its namespace connection.
      const leave = () => {
        if (left) return;
        left = true;
        ready(undefined);
        this.connecting.delete(link);
        this.links.delete(link);
        this.outbox.post({ type: 'left', link });
      };
      socket.data.link = { id: link, info: checked.ok ? checked.info : null, leave, ready };
      // A connection that closed while the console decided never reaches 'connection': the console hears it left.
      if (socket.conn.readyState !== 'open') {
        leave();
        return next(new Error('Join abandoned: the connection closed'));
      }
      socket.conn.once('close', leave);
      next();
    });
    this.outbox.post({ type: 'admit', link, address, endpoints, checked });
  }

  private connected(socket: CapwapSocket): void {
    const { id: link, info, leave, ready } = socket.data.link as { id: number; info: ApJoinInfo; leave: () => void; ready: (link: Link) => void };
    const dropped = new Promise<never>((_, reject) => socket.once('disconnect', () => reject(new ApSessionError('AP disconnected'))));
    dropped.catch(() => undefined);
    const entry = { socket, dropped };
    this.links.set(link, entry);
    this.connecting.delete(link);
    ready(entry);
    const lines = new RateWindow(this.options.logLinesPerSecond);
    socket.on('ap:log', (line) => this.apLog(link, info, lines, line));
    socket.on('disconnect', leave);
  }

  private apLog(link: number, info: { name: string; mac: string }, window: RateWindow, line: unknown): void {
    if (typeof line !== 'string' || !window.take()) {
      this.drops.drop(
        `log:${info.mac}`,
        () => joinLine(`AP Name: ${info.name} Mac: ${info.mac} sends more than ${this.options.logLinesPerSecond} log lines per second: dropping the excess`),
        (more) => joinLine(`AP Name: ${info.name} Mac: ${info.mac}: ${more} log line(s) dropped over the limit`),
      );
      return;
    }
    this.outbox.post({ type: 'apLog', link, line: logTextCut(line, this.options.logLineMaxLength) });
  }

  private reportProgress(): void {
    const acknowledged: Array<[number, number]> = [];
    for (const [id, delivery] of this.deliveries) {
      if (delivery.acknowledged === delivery.reported) continue;
      delivery.reported = delivery.acknowledged;
      acknowledged.push([id, delivery.acknowledged]);
    }
    if (acknowledged.length > 0) this.outbox.post({ type: 'progress', acknowledged });
  }
}
