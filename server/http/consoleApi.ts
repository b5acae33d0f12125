import type { ApImageReport } from '../../lib/apImage';
import { apImageQuerySchema, type ApImageQuery } from '../../lib/apImageQuery';
import {
  hostKeyRequestSchema,
  imageDownloadProfileInputSchema,
  toFieldIssues,
  toProfileView,
  type HostKeyChallengeBody,
  type HostKeyInfo,
  type ImageDownloadProfilePatch,
  type ValidationErrorBody,
} from '../../lib/imageDownloadProfile';
import { hostPort } from '../../lib/netAddress';
import type { SyslogLine } from '../../lib/syslog';
import { isUpgradeBusy, upgradeBusyMessage, type UpgradeView } from '../../lib/upgradeStage';
import type { AuditLog } from '../auth/auditLog';
import type { RuntimeMonitor } from '../diagnostics/runtimeStats';
import { describeProfileChanges } from '../auth/profileChanges';
import { BackupReplacementError, UpgradeConflictError } from '../orchestrator/upgradeConflicts';
import type { UpgradeOrchestrator } from '../orchestrator/upgradeOrchestrator';
import type { SecretBox } from '../secrets/secretBox';
import type { EventLog } from '../store/eventLog';
import type { ProfileRepository, StoredProfile } from '../store/profileRepository';
import type { Executor } from '../store/store';
import { downloadExtrasSchema } from '../../lib/rollout';
import type { ApiResult } from './apiResult';
import type { MaintenanceApi } from './maintenanceApi';
import { exportProfileConfig } from './profileExport';
import type { RequestActor } from '../../lib/requestActor';
import { checkSftpInput } from './sftpProfileChecks';

export interface ConsoleApiDeps {
  db: Executor;
  profiles: ProfileRepository;
  orchestrator: UpgradeOrchestrator;
  log: EventLog;
  audit: AuditLog;
  secrets: SecretBox;
  apImage: (query: ApImageQuery) => ApImageReport;
  upgrade: () => UpgradeView;
  /** Told after every save, so open pages show the saved profile. */
  profileSaved: () => void;
  /** Reads an SSH server's host key without logging in; rejects with the reason (`Timed out`, `Connection refused`). */
  probeHostKey: (host: string, port: number) => Promise<HostKeyInfo>;
  runtime: RuntimeMonitor;
  /** Checks of the profile a save would store, in CCO and Desktop (HTTP) modes, beyond the schema (more of them before a download); none when absent. */
  httpModeIssues?: (profile: StoredProfile, forDownload: boolean) => ValidationErrorBody['issues'];
  /** Activation in waves, schedules, per-AP actions and the history. */
  maintenance: MaintenanceApi;
}

type Validated = { ok: true; data: ImageDownloadProfilePatch } | { ok: false; result: ApiResult };

const invalid = (issues: ValidationErrorBody['issues']): ApiResult => ({ status: 400, body: { error: 'Invalid image download profile', issues } satisfies ValidationErrorBody });

/**
 * What each API route does, independent of Next.js: validate at the boundary,
 * call the orchestrator, answer with a status and a body. Route handlers stay thin.
 */
export class ConsoleApi {
  constructor(private readonly deps: ConsoleApiDeps) {}

  get maintenance(): MaintenanceApi {
    return this.deps.maintenance;
  }

  getProfile(): ApiResult {
    return { status: 200, body: toProfileView(this.deps.profiles.get()) };
  }

  async saveProfile(body: unknown, actor: RequestActor): Promise<ApiResult> {
    const validated = this.validate(body);
    if (!validated.ok) return validated.result;
    return { status: 200, body: toProfileView(await this.save(validated.data, actor)) };
  }

  async startDownload(body: unknown, actor: RequestActor, via: 'page' | 'api' | 'cli' = 'api'): Promise<ApiResult> {
    const validated = this.validate(body, true);
    if (!validated.ok) return validated.result;
    const extras = downloadExtrasSchema.safeParse(body);
    if (!extras.success) return invalid(toFieldIssues(extras.error));
    const { targets = null, at, confirmReplaceBackup = false } = extras.data;
    if (at) {
      await this.save(validated.data, actor);
      return this.deps.maintenance.scheduleDownload(at, targets, actor);
    }
    // Refused before the save, so that a download that cannot start leaves the profile as it was.
    const { stage } = this.deps.upgrade();
    if (isUpgradeBusy(stage)) return { status: 409, body: { error: upgradeBusyMessage(stage) } };
    const profile = await this.save(validated.data, actor);
    if (profile.mode === 'SFTP' && !profile.sftp.hostKeyFingerprint) {
      const challenge = await this.hostKeyChallenge(profile);
      // An unreachable server is not a trust question: the predownload starts and its rows say Timed out.
      if (challenge) return challenge;
    }
    try {
      const record = await this.deps.orchestrator.startPredownload(profile, targets, { username: actor.username, via }, { replaceBackup: confirmReplaceBackup });
      await this.audited(actor, 'upgrade.download', `upgrade ${record.id} from ${record.imageUrl}${confirmReplaceBackup ? ', backup images replaced as confirmed' : ''}`);
      return { status: 202, body: { upgradeId: record.id } };
    } catch (error) {
      if (error instanceof BackupReplacementError) {
        return { status: 409, body: { error: `${error.message} Confirm to replace it (confirmReplaceBackup: true), or leave these APs out with targets.`, backupReplacement: error.replacement } };
      }
      if (error instanceof UpgradeConflictError) return { status: 409, body: { error: error.message } };
      throw error;
    }
  }

  async hostKey(body: unknown): Promise<ApiResult> {
    const parsed = hostKeyRequestSchema.safeParse(body);
    if (!parsed.success) return invalid(toFieldIssues(parsed.error));
    try {
      return { status: 200, body: await this.deps.probeHostKey(parsed.data.imageServer, parsed.data.port) };
    } catch (error) {
      return { status: 502, body: { error: `Cannot read the host key of ${hostPort(parsed.data.imageServer, parsed.data.port)}: ${(error as Error).message}` } };
    }
  }

  exportConfig(): ApiResult {
    return { status: 200, body: exportProfileConfig(this.deps.profiles.get(), this.deps.profiles.exportedPassword()), contentType: 'text/plain' };
  }

  /** Activate now or at a time: all at once, or rolling in waves (see MaintenanceApi). */
  activate(actor: RequestActor, body: unknown = {}): Promise<ApiResult> {
    return this.deps.maintenance.activate(body, actor);
  }

  async cancel(actor: RequestActor): Promise<ApiResult> {
    try {
      await this.deps.orchestrator.cancel();
    } catch (error) {
      if (error instanceof UpgradeConflictError) return { status: 409, body: { error: error.message } };
      throw error;
    }
    await this.audited(actor, 'upgrade.cancel', `upgrade ${this.deps.upgrade().upgradeId}`);
    return { status: 202, body: this.deps.upgrade() };
  }

  getUpgrade(): ApiResult {
    return { status: 200, body: this.deps.upgrade() };
  }

  /** `show ap image`: every AP, or a page of them (`limit`, `offset`, `q`, `status`, `imageType`, `sort`). */
  getApImage(params: URLSearchParams = new URLSearchParams()): ApiResult {
    const parsed = apImageQuerySchema.safeParse(Object.fromEntries(params));
    if (!parsed.success) return { status: 400, body: { error: 'Invalid AP image query', issues: toFieldIssues(parsed.error) } };
    return { status: 200, body: this.deps.apImage(parsed.data) };
  }

  /** The console's event-loop delay (p50, p99, max since the last reset) and memory. */
  getDiagnostics(): ApiResult {
    return { status: 200, body: this.deps.runtime.stats() };
  }

  /** Answers the figures so far and starts measuring anew (a benchmark resets before its run). */
  resetDiagnostics(): ApiResult {
    return { status: 200, body: this.deps.runtime.reset() };
  }

  getSyslog(): ApiResult {
    const lines: SyslogLine[] = this.deps.log.recent();
    return { status: 200, body: lines };
  }

  private async hostKeyChallenge(profile: StoredProfile): Promise<ApiResult | null> {
    let hostKey: HostKeyInfo;
    try {
      hostKey = await this.deps.probeHostKey(profile.sftp.imageServer, profile.sftp.port);
    } catch {
      return null;
    }
    const body: HostKeyChallengeBody = {
      error: `The host key of ${hostPort(profile.sftp.imageServer, profile.sftp.port)} is not trusted yet. Check its fingerprint ${hostKey.fingerprint} and trust it to download.`,
      hostKey,
    };
    return { status: 409, body };
  }

  /** Checks what a save names, then the profile it would store (the stored one with the named fields changed). */
  private validate(body: unknown, forDownload = false): Validated {
    const parsed = imageDownloadProfileInputSchema.safeParse(body);
    if (!parsed.success) return { ok: false, result: invalid(toFieldIssues(parsed.error)) };
    const checked = checkSftpInput(parsed.data, this.deps.profiles.get(), this.deps.secrets);
    if (!checked.ok) return { ok: false, result: invalid(checked.issues) };
    const merged = this.deps.profiles.preview(checked.data);
    if (!merged.ok) return { ok: false, result: invalid(merged.issues) };
    const httpModeIssues = this.deps.httpModeIssues?.(merged.profile, forDownload) ?? [];
    if (httpModeIssues.length > 0) return { ok: false, result: invalid(httpModeIssues) };
    return { ok: true, data: checked.data };
  }

  /** Stores the fields the patch names; a patch naming none (the CLI's `ap image predownload`) saves and audits nothing. */
  private async save(patch: ImageDownloadProfilePatch, actor: RequestActor): Promise<StoredProfile> {
    if (Object.keys(patch).length === 0) return this.deps.profiles.get();
    const { before, saved } = await this.deps.profiles.save(this.deps.db, patch);
    await this.audited(actor, 'profile.save', describeProfileChanges(before, saved));
    this.deps.profileSaved();
    return saved;
  }

  private async audited(actor: RequestActor, action: 'profile.save' | 'upgrade.download' | 'upgrade.activate' | 'upgrade.cancel', detail: string): Promise<void> {
    await this.deps.audit.record({ username: actor.username, sourceAddress: actor.sourceAddress, action, detail });
  }
}
