import type { ApJoinInfo } from '../../lib/capwapEvents';
import { plainAddress } from '../../lib/netAddress';
import type { Admission } from '../pki/apTrust';
import type { EventLine } from '../store/eventLog';
import { DropReport, RateWindow } from '../diagnostics/dropReport';
import type { FromApPort, SessionEndpoints } from './apPortProtocol';
import { ApSession } from './apSession';
import type { CapwapPort } from './capwapPort';

export interface ApRegistryListener {
  joined(session: ApSession): void;
  left(mac: string): void;
  apLog(mac: string, line: string): void;
}

export interface ApAdmissionOptions {
  /** Whether the certificate with this serial may join as this MAC now (the AP authorization list, read from the store). */
  admit(mac: string, serial: string): Promise<Admission>;
  /** `EWC_MAX_APS`: connected APs at most. */
  maxAps: number;
  joinsPerSecond: number;
  log(line: EventLine): void;
}

type Refusal = { ok: false; reason: string; rateLimited?: true };

const joinLine = (text: string, severity: EventLine['severity'] = 'warning'): EventLine => ({ severity, facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN', text });

/**
 * The APs connected right now, one session per MAC, fed by the AP port's events. A join is admitted only
 * with a client certificate from the local CA whose MAC is the one the AP claims (checked by the AP port)
 * and whose serial is the approved one on the AP authorization list (checked here); within the join rate
 * and `EWC_MAX_APS`. Refusals and dropped log lines are counted and logged, never silent.
 */
export class ApRegistry {
  private readonly sessions = new Map<string, { session: ApSession; serial: string }>();
  private readonly byLink = new Map<number, ApSession>();
  // Links whose join is being decided (the authorization list is read from the store): one that leaves meanwhile is not joined.
  private readonly deciding = new Set<number>();
  // The last session of each AP seen since the start, for a line about an AP that has just left (bounded by EWC_MAX_APS' list).
  private readonly lastEndpoints = new Map<string, SessionEndpoints>();
  private readonly drops: DropReport;
  private readonly joins: RateWindow;
  private readonly unsubscribe: () => void;
  /** Joins admitted and refused since the console started (refusals over the join rate apart), for GET /metrics. */
  readonly tally = { joined: 0, refused: 0, rateLimited: 0 };

  constructor(
    private readonly port: CapwapPort,
    private readonly listener: ApRegistryListener,
    private readonly options: ApAdmissionOptions,
  ) {
    this.drops = new DropReport(options.log);
    this.joins = new RateWindow(options.joinsPerSecond);
    this.unsubscribe = port.subscribe((event) => this.received(event));
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
    this.port.disconnect(entry.session.link);
  }

  dispose(): void {
    this.unsubscribe();
    this.drops.dispose();
  }

  private received(event: FromApPort): void {
    if (event.type === 'admit') void this.decide(event);
    else if (event.type === 'left') {
      this.deciding.delete(event.link);
      this.left(event.link);
    } else if (event.type === 'apLog') {
      const session = this.byLink.get(event.link);
      if (session) this.listener.apLog(session.info.mac, event.line);
    }
  }

  private async decide(event: Extract<FromApPort, { type: 'admit' }>): Promise<void> {
    this.deciding.add(event.link);
    const { checked } = event;
    const answer: { ok: true } | Refusal = checked.ok ? await this.admit(checked.info, checked.serial).catch((error: Error) => ({ ok: false as const, reason: error.message })) : checked;
    // The AP went away while its join was decided: there is no one to answer, and no session to make.
    if (!this.deciding.delete(event.link)) return;
    if (!answer.ok) this.refused(answer, event.address);
    // The answer goes first, so that what the orchestrator sends the new session follows it to the AP port; the
    // session exists before this turn ends, so an AP that reads the answer is already one the console knows.
    this.port.answerAdmission(event.link, answer);
    if (answer.ok && checked.ok) this.joined(event.link, checked.info, checked.serial, event.address, event.endpoints);
  }

  private async admit(info: ApJoinInfo, serial: string): Promise<{ ok: true } | Refusal> {
    const admission = await this.options.admit(info.mac, serial);
    if (!admission.ok) return admission;
    // What follows is decided on the registry as it is now, after the list was read.
    const current = this.sessions.get(info.mac);
    if (current && current.serial !== serial) return { ok: false, reason: `AP ${info.mac} is connected with another certificate` };
    if (!current && this.sessions.size >= this.options.maxAps) return { ok: false, reason: `AP limit reached (EWC_MAX_APS ${this.options.maxAps})` };
    if (!this.joins.take()) return { ok: false, reason: `too many joins (more than ${this.options.joinsPerSecond} per second); try again`, rateLimited: true };
    return { ok: true };
  }

  private joined(link: number, info: ApJoinInfo, serial: string, address: string, endpoints: SessionEndpoints): void {
    const session = new ApSession(info, link, endpoints, address, this.port);
    this.tally.joined += 1;
    const previous = this.sessions.get(info.mac);
    this.sessions.set(info.mac, { session, serial });
    this.byLink.set(link, session);
    this.lastEndpoints.set(info.mac, endpoints);
    // The same certificate proved itself again (an AP that rejoins before its old link timed out): the old session goes.
    if (previous) {
      this.port.disconnect(previous.session.link);
      this.options.log(joinLine(`AP Name: ${info.name} Mac: ${info.mac} joined again with the same certificate: previous session closed`, 'notice'));
    }
    this.listener.joined(session);
  }

  private left(link: number): void {
    const session = this.byLink.get(link);
    if (!session) return;
    this.byLink.delete(link);
    session.left();
    if (this.sessions.get(session.info.mac)?.session !== session) return;
    this.sessions.delete(session.info.mac);
    this.listener.left(session.info.mac);
  }

  /** Refusals are counted in two kinds, so that APs waiting their turn do not hide forged joins in one count. */
  private refused({ reason, rateLimited }: Refusal, address: string): void {
    if (rateLimited) this.tally.rateLimited += 1;
    else this.tally.refused += 1;
    this.drops.drop(
      rateLimited ? 'join-rate' : 'join-refused',
      () => joinLine(`AP join from ${plainAddress(address)} refused: ${reason}`),
      (more) => joinLine(`${more} more AP join(s) refused in the last few seconds`),
    );
  }
}
