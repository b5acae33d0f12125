import type { TLSSocket } from 'node:tls';
import type { Namespace } from 'socket.io';
import { apJoinInfoSchema, type ApJoinInfo, type ApToControllerEvents, type ControllerToApEvents } from '../../lib/capwapEvents';
import { escapeLogText, logTextCut } from '../../lib/logText';
import type { Admission } from '../pki/apTrust';
import type { EventLine } from '../store/eventLog';
import { ApSession, type SessionEndpoints } from './apSession';
import { DropReport, RateWindow } from '../diagnostics/dropReport';
import { plainAddress } from '../../lib/netAddress';

export interface ApRegistryListener {
  joined(session: ApSession): void;
  left(mac: string): void;
  apLog(mac: string, line: string): void;
}

export interface ApAdmissionOptions {
  /** Whether the certificate with this serial may join as this MAC now (the AP authorization list). */
  admit(mac: string, serial: string): Promise<Admission>;
  /** `EWC_MAX_APS`: connected APs at most. */
  maxAps: number;
  joinsPerSecond: number;
  logLinesPerSecond: number;
  logLineMaxLength: number;
  log(line: EventLine): void;
}

type CapwapNamespace = Namespace<ApToControllerEvents, ControllerToApEvents>;

const joinLine = (text: string, severity: EventLine['severity'] = 'warning'): EventLine => ({ severity, facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN', text });

function formatIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
}

/**
 * The APs connected right now, one session per MAC, fed by the `/capwap` namespace of the AP port.
 * A join is admitted only with a client certificate from the local CA whose MAC is the one the
 * AP claims and whose serial is the approved one on the AP authorization list; within the join
 * rate and `EWC_MAX_APS`. Refusals and dropped log lines are counted and logged, never silent.
 */
export class ApRegistry {
  private readonly sessions = new Map<string, { session: ApSession; serial: string; disconnect: (reason: string) => void }>();
  // The last session of each AP seen since the start, for a line about an AP that has just left (bounded by EWC_MAX_APS' list).
  private readonly lastEndpoints = new Map<string, SessionEndpoints>();
  private readonly drops: DropReport;
  private readonly joins: RateWindow;
  /** Joins admitted and refused since the console started (refusals over the join rate apart), for GET /metrics. */
  readonly tally = { joined: 0, refused: 0, rateLimited: 0 };

  constructor(
    namespace: CapwapNamespace,
    private readonly listener: ApRegistryListener,
    private readonly options: ApAdmissionOptions,
  ) {
    this.drops = new DropReport(options.log);
    this.joins = new RateWindow(options.joinsPerSecond);
    namespace.use((socket, next) => {
      this.admit(socket.request.socket as TLSSocket, socket.handshake.auth).then(
        (result) => {
          if (!result.ok) {
            this.refused(result, socket.handshake.address);
            return next(new Error(`Join refused: ${result.reason}`));
          }
          socket.data.join = result.info;
          socket.data.serial = result.serial;
          next();
        },
        (error: Error) => next(new Error(`Join refused: ${error.message}`)),
      );
    });
    namespace.on('connection', (socket) => {
      const info = socket.data.join as ApJoinInfo;
      const session = new ApSession(info, socket);
      this.tally.joined += 1;
      const previous = this.sessions.get(info.mac);
      this.sessions.set(info.mac, { session, serial: socket.data.serial as string, disconnect: () => socket.disconnect(true) });
      this.lastEndpoints.set(info.mac, session.endpoints);
      // The same certificate proved itself again (an AP that rejoins before its old link timed out): the old session goes.
      if (previous) {
        previous.disconnect('replaced');
        options.log(joinLine(`AP Name: ${info.name} Mac: ${info.mac} joined again with the same certificate: previous session closed`, 'notice'));
      }
      const lines = new RateWindow(options.logLinesPerSecond);
      socket.on('ap:log', (line) => this.apLog(info, lines, line));
      socket.on('disconnect', () => {
        if (this.sessions.get(info.mac)?.session === session) {
          this.sessions.delete(info.mac);
          listener.left(info.mac);
        }
      });
      listener.joined(session);
    });
  }

  get(mac: string): ApSession | undefined {
    return this.sessions.get(mac)?.session;
  }

  /** The AP's session as the AP port sees it: the current one, else the last one since the controller started, else null. */
  endpoints(mac: string): SessionEndpoints | null {
    return this.lastEndpoints.get(mac) ?? null;
  }

  isConnected(mac: string): boolean {
    return this.sessions.get(mac)?.session.connected ?? false;
  }

  get connectedCount(): number {
    return this.sessions.size;
  }

  /** Ends the AP's session at once (its certificate was revoked, deleted or replaced). */
  drop(mac: string, reason: string): void {
    const entry = this.sessions.get(mac);
    if (!entry) return;
    this.options.log(joinLine(`AP Name: ${entry.session.info.name} Mac: ${mac} disconnected: ${reason}`));
    entry.disconnect(reason);
  }

  dispose(): void {
    this.drops.dispose();
  }

  private async admit(tls: TLSSocket, auth: unknown): Promise<{ ok: true; info: ApJoinInfo; serial: string } | { ok: false; reason: string; rateLimited?: true }> {
    const certificate = typeof tls.getPeerCertificate === 'function' ? tls.getPeerCertificate() : null;
    if (!tls.authorized || !certificate?.subject) return { ok: false, reason: "no valid AP certificate from this controller's CA" };
    const parsed = apJoinInfoSchema.safeParse(auth);
    if (!parsed.success) return { ok: false, reason: escapeLogText(formatIssues(parsed.error.issues)) };
    const info = parsed.data;
    if (certificate.subject.CN !== info.mac) return { ok: false, reason: `the certificate is for ${escapeLogText(String(certificate.subject.CN))}, not ${info.mac}` };
    const admission = await this.options.admit(info.mac, certificate.serialNumber);
    if (!admission.ok) return admission;
    // What follows is decided on the registry as it is now, after the list was read.
    const current = this.sessions.get(info.mac);
    if (current && current.serial !== certificate.serialNumber.toUpperCase()) return { ok: false, reason: `AP ${info.mac} is connected with another certificate` };
    if (!current && this.sessions.size >= this.options.maxAps) return { ok: false, reason: `AP limit reached (EWC_MAX_APS ${this.options.maxAps})` };
    if (!this.joins.take()) return { ok: false, reason: `too many joins (more than ${this.options.joinsPerSecond} per second); try again`, rateLimited: true };
    return { ok: true, info, serial: certificate.serialNumber.toUpperCase() };
  }

  /** Refusals are counted in two kinds, so that APs waiting their turn do not hide forged joins in one count. */
  private refused({ reason, rateLimited }: { reason: string; rateLimited?: true }, address: string): void {
    if (rateLimited) this.tally.rateLimited += 1;
    else this.tally.refused += 1;
    this.drops.drop(
      rateLimited ? 'join-rate' : 'join-refused',
      () => joinLine(`AP join from ${plainAddress(address)} refused: ${reason}`),
      (more) => joinLine(`${more} more AP join(s) refused in the last few seconds`),
    );
  }

  private apLog(info: ApJoinInfo, window: RateWindow, line: unknown): void {
    if (typeof line !== 'string' || !window.take()) {
      this.drops.drop(
        `log:${info.mac}`,
        () => joinLine(`AP Name: ${info.name} Mac: ${info.mac} sends more than ${this.options.logLinesPerSecond} log lines per second: dropping the excess`),
        (more) => joinLine(`AP Name: ${info.name} Mac: ${info.mac}: ${more} log line(s) dropped over the limit`),
      );
      return;
    }
    this.listener.apLog(info.mac, logTextCut(line, this.options.logLineMaxLength));
  }
}
