import path from 'node:path';
import type { ApAuthorizationStatus, CreateEnrolmentToken, EnrolmentTokenView } from '../../lib/apAuthorization';
import { enrolmentRequestSchema } from '../../lib/apAuthorization';
import { toFieldIssues } from '../../lib/imageDownloadProfile';
import { cliHostKeyPathOf } from '../cli/hostKeyFile';
import { DropReport } from '../diagnostics/dropReport';
import type { EventLine } from '../store/eventLog';
import { apAuthorizationRows, type ApAuthorizationRecord } from '../store/apAuthorizationRepository';
import { afterCommit, type Executor } from '../store/store';
import { hashToken, loadOrCreateJoinToken, newToken, sameToken } from './joinToken';
import { CertificateRequestError, LocalCa, type CheckedRequest } from './localCa';
import type { SharedTrustDirs, SharedTrustMaterial } from './sharedTrust';

export interface ApTrustOptions {
  dataDir: string;
  /** Approve APs that enrol with the fleet's join token without an admin (the demo). */
  autoApprove: boolean;
  /** `EWC_MAX_APS`: enrolled APs count against it too, so a leaked join token cannot fill the list. */
  maxAps: number;
  log: (line: EventLine) => void;
  /** The CA and join token every node on a shared database uses (sharedTrust.ts); without it, the data folder's. */
  shared?: SharedTrustMaterial | null;
}

export type Admission = { ok: true } | { ok: false; reason: string };

export interface EnrolmentResult {
  status: number;
  body: { certificate: string; status: ApAuthorizationStatus } | { error: string; issues?: { path: string; message: string }[] };
}

/** Where a data folder keeps the CA certificate and the join token file that `npm run fleet` reads. */
export const pkiDirOf = (dataDir: string): string => path.join(dataDir, 'pki');

/** Where a node writes what the nodes on its database share (sharedTrust.ts): under its data folder, and its vendor key folder. */
export function sharedTrustDirsOf(config: { dataDir: string; vendorKeyDir: string }): SharedTrustDirs {
  return { pkiDir: pkiDirOf(config.dataDir), vendorKeyDir: config.vendorKeyDir, cliHostKeyFile: cliHostKeyPathOf(config.dataDir) };
}

const apLine = (text: string, severity: EventLine['severity'] = 'notice'): EventLine => ({ severity, facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_AUTHORIZATION', text });

/**
 * Who may join: the local CA, the fleet's join token, the admins' one-time enrolment
 * tokens and the AP authorization list. An AP enrols once (token + CSR for its MAC) and
 * then joins with the certificate; only the certificate on the list, approved, is accepted.
 */
export class ApTrust {
  readonly joinToken: string;
  private ca: LocalCa | null = null;
  private readonly drops: DropReport;
  private readonly certificateWithdrawn = new Set<(mac: string, reason: string) => void>();

  constructor(
    private readonly db: Executor,
    private readonly options: ApTrustOptions,
  ) {
    this.joinToken = options.shared?.joinToken ?? loadOrCreateJoinToken(this.pkiDir);
    this.drops = new DropReport(options.log);
  }

  get pkiDir(): string {
    return pkiDirOf(this.options.dataDir);
  }

  /** Loads (or creates) the CA and the controller's certificate; the AP port needs them before it listens. */
  async openCa(hostNames: string[]): Promise<LocalCa> {
    const shared = this.options.shared;
    this.ca ??= shared ? await LocalCa.fromMaterial(shared.ca, hostNames) : await LocalCa.open(this.pkiDir, hostNames);
    return this.ca;
  }

  /** Called when an AP's certificate stops being accepted (revoked, deleted, replaced): its session is dropped at once. */
  onCertificateWithdrawn(listener: (mac: string, reason: string) => void): () => void {
    this.certificateWithdrawn.add(listener);
    return () => this.certificateWithdrawn.delete(listener);
  }

  /** Whether this certificate (by serial) may join as this MAC right now. */
  async admit(mac: string, serial: string): Promise<Admission> {
    const record = await apAuthorizationRows.get(this.db, mac);
    if (!record || record.certSerial !== serial.toUpperCase()) return { ok: false, reason: `certificate of ${mac} is not on the AP authorization list` };
    if (record.status === 'revoked') return { ok: false, reason: `AP ${mac} is revoked` };
    if (record.status === 'pending') return { ok: false, reason: `AP ${mac} is waiting for approval on the AP authorization list` };
    return { ok: true };
  }

  async enrol(body: unknown, sourceAddress: string): Promise<EnrolmentResult> {
    const parsed = enrolmentRequestSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: { error: 'Invalid enrolment request', issues: toFieldIssues(parsed.error) } };
    const { mac, token, csr } = parsed.data;
    // The CSR is checked before a one-time token is spent on it.
    let request: CheckedRequest;
    try {
      request = await LocalCa.readRequest(csr);
    } catch (error) {
      if (error instanceof CertificateRequestError) return this.refuse(400, mac, sourceAddress, error.message);
      throw error;
    }
    const existing = await apAuthorizationRows.get(this.db, mac);
    let via: ApAuthorizationRecord['enrolledVia'];
    let status: ApAuthorizationStatus;
    if (sameToken(token, this.joinToken)) {
      // The shared fleet token only enrols MACs the list does not know: it cannot take over an enrolled AP.
      if (existing) return this.refuse(403, mac, sourceAddress, `AP ${mac} is already enrolled; delete it from the AP authorization list or enrol it with a one-time token`);
      if ((await apAuthorizationRows.count(this.db)) >= this.options.maxAps) return this.refuse(403, mac, sourceAddress, `the AP authorization list is full (EWC_MAX_APS ${this.options.maxAps})`);
      via = 'join-token';
      status = this.options.autoApprove ? 'approved' : 'pending';
    } else if (await apAuthorizationRows.consumeToken(this.db, hashToken(token), mac)) {
      // An admin created this token for the purpose: the AP is approved, and a revoked one is taken back.
      via = 'enrolment-token';
      status = 'approved';
    } else {
      return this.refuse(401, mac, sourceAddress, 'unknown, used or expired token');
    }
    const issued = await (await this.requireCa()).issueApCertificate(mac, request);
    const now = new Date().toISOString();
    const saved = await apAuthorizationRows.saveEnrolment(
      this.db,
      {
        mac,
        status,
        certSerial: issued.serial,
        certFingerprint: issued.fingerprint,
        certExpiresAt: issued.expiresAt,
        enrolledVia: via,
        enrolledAt: now,
        enrolledFrom: sourceAddress,
        changedAt: now,
        changedBy: via === 'join-token' && status === 'approved' ? 'auto-approve' : via === 'join-token' ? 'enrolment' : 'enrolment token',
      },
      // Two join-token enrolments of one MAC at once: the first wins, the second's certificate is never recorded.
      via === 'enrolment-token',
    );
    if (!saved) return this.refuse(403, mac, sourceAddress, `AP ${mac} is already enrolled`);
    if (existing) this.withdraw(mac, 'a new certificate was issued');
    const how = via === 'join-token' ? 'the fleet join token' : 'a one-time enrolment token';
    this.options.log(apLine(`AP Mac: ${mac} enrolled with ${how} from ${sourceAddress}, certificate ${issued.fingerprint}; ${status === 'approved' ? 'approved' : 'waiting for approval'}`));
    return { status: 201, body: { certificate: issued.pem, status } };
  }

  /** The AP authorization list, by MAC. */
  /** The AP authorization list's record of one AP, if it holds one. */
  authorization(mac: string): Promise<ApAuthorizationRecord | undefined> {
    return apAuthorizationRows.get(this.db, mac);
  }

  list(): Promise<ApAuthorizationRecord[]> {
    return apAuthorizationRows.all(this.db);
  }

  /** The one-time enrolment tokens, newest first (their hashes only). */
  tokens(): Promise<EnrolmentTokenView[]> {
    return apAuthorizationRows.tokens(this.db);
  }

  // The changes below take the executor of the use case that also writes their audit line, so both commit
  // together; the event log line and the withdrawn certificate follow the commit, never a rolled back change.

  deleteToken(id: number, db: Executor = this.db): Promise<boolean> {
    return apAuthorizationRows.deleteToken(db, id);
  }

  async approve(mac: string, by: string, db: Executor = this.db): Promise<boolean> {
    const record = await apAuthorizationRows.get(db, mac);
    if (!record || !(await apAuthorizationRows.setStatus(db, mac, 'approved', by))) return false;
    afterCommit(db, () => this.options.log(apLine(`AP Mac: ${mac} approved by ${by}`)));
    return true;
  }

  async revoke(mac: string, by: string, db: Executor = this.db): Promise<boolean> {
    if (!(await apAuthorizationRows.setStatus(db, mac, 'revoked', by))) return false;
    afterCommit(db, () => {
      this.options.log(apLine(`AP Mac: ${mac} revoked by ${by}: its certificate is refused`, 'warning'));
      this.withdraw(mac, `revoked by ${by}`);
    });
    return true;
  }

  async remove(mac: string, by: string, db: Executor = this.db): Promise<boolean> {
    if (!(await apAuthorizationRows.delete(db, mac))) return false;
    afterCommit(db, () => {
      this.options.log(apLine(`AP Mac: ${mac} deleted from the AP authorization list by ${by}`, 'warning'));
      this.withdraw(mac, `deleted by ${by}`);
    });
    return true;
  }

  /** A one-time enrolment token; its text is returned once and only its hash is kept. */
  async createToken(request: CreateEnrolmentToken, by: string, db: Executor = this.db): Promise<{ token: string; view: EnrolmentTokenView }> {
    const token = newToken();
    const expiresAt = new Date(Date.now() + request.validHours * 3_600_000).toISOString();
    const view = await apAuthorizationRows.createToken(db, hashToken(token), request.mac, by, expiresAt);
    return { token, view };
  }

  dispose(): void {
    this.drops.dispose();
  }

  private async requireCa(): Promise<LocalCa> {
    if (!this.ca) throw new Error('The local CA is not open yet');
    return this.ca;
  }

  private withdraw(mac: string, reason: string): void {
    for (const listener of this.certificateWithdrawn) listener(mac, reason);
  }

  private refuse(status: number, mac: string, sourceAddress: string, reason: string): EnrolmentResult {
    this.drops.drop(
      'enrolment-refused',
      () => apLine(`AP Mac: ${mac} enrolment from ${sourceAddress} refused: ${reason}`, 'warning'),
      (more) => apLine(`${more} more AP enrolment(s) refused in the last few seconds`, 'warning'),
    );
    return { status, body: { error: `Enrolment refused: ${reason}` } };
  }
}
