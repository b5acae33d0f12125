import type { ApImageReport } from '../../lib/apImage';
import { imageDownloadProfileInputSchema, toFieldIssues, type ImageDownloadProfileData, type ValidationErrorBody } from '../../lib/imageDownloadProfile';
import type { SyslogLine } from '../../lib/syslog';
import type { UpgradeView } from '../../lib/upgradeStage';
import { UpgradeConflictError, type UpgradeOrchestrator } from '../orchestrator/upgradeOrchestrator';
import type { EventLog } from '../store/eventLog';
import { toProfileView, type ProfileRepository } from '../store/profileRepository';

export interface ApiResult {
  status: number;
  body: unknown;
}

export interface ConsoleApiDeps {
  profiles: ProfileRepository;
  orchestrator: UpgradeOrchestrator;
  log: EventLog;
  apImage: () => ApImageReport;
  upgrade: () => UpgradeView;
  /** Told after every save, so open pages show the saved profile. */
  profileSaved: () => void;
  /** Whether SFTP transfers are available; until they are, Save & Download refuses SFTP mode clearly. */
  sftpTransfers: boolean;
}

type Validated = { ok: true; data: ImageDownloadProfileData } | { ok: false; result: ApiResult };

/**
 * What each API route does, independent of Next.js: validate at the boundary,
 * call the orchestrator, answer with a status and a JSON body. Route handlers stay thin.
 */
export class ConsoleApi {
  constructor(private readonly deps: ConsoleApiDeps) {}

  getProfile(): ApiResult {
    return { status: 200, body: toProfileView(this.deps.profiles.get()) };
  }

  saveProfile(body: unknown): ApiResult {
    const validated = this.validate(body);
    if (!validated.ok) return validated.result;
    return { status: 200, body: toProfileView(this.save(validated.data)) };
  }

  startDownload(body: unknown): ApiResult {
    const validated = this.validate(body);
    if (!validated.ok) return validated.result;
    const running = this.deps.upgrade();
    if (running.state === 'running' || running.state === 'reloading') {
      return { status: 409, body: { error: `An upgrade is already in progress (${running.stage}). Cancel it or wait for it to finish.` } };
    }
    const profile = this.save(validated.data);
    if (profile.mode === 'SFTP' && !this.deps.sftpTransfers) {
      return { status: 422, body: { error: 'Profile saved. SFTP transfers are not available in this version yet: use TFTP mode to predownload.' } };
    }
    try {
      const record = this.deps.orchestrator.startPredownload(profile);
      return { status: 202, body: { upgradeId: record.id } };
    } catch (error) {
      if (error instanceof UpgradeConflictError) return { status: 409, body: { error: error.message } };
      throw error;
    }
  }

  activate(): ApiResult {
    return this.action(() => this.deps.orchestrator.activate());
  }

  cancel(): ApiResult {
    return this.action(() => this.deps.orchestrator.cancel());
  }

  getUpgrade(): ApiResult {
    const { stage, state, targetVersion, controllerVersion, startedAt, message, upgradeId, targetControllerVersion, finishedAt, lastBarStage } = this.deps.upgrade();
    return { status: 200, body: { stage, state, targetVersion, controllerVersion, startedAt, message, upgradeId, targetControllerVersion, finishedAt, lastBarStage } };
  }

  getApImage(): ApiResult {
    return { status: 200, body: this.deps.apImage() };
  }

  getSyslog(): ApiResult {
    const lines: SyslogLine[] = this.deps.log.recent();
    return { status: 200, body: lines };
  }

  private validate(body: unknown): Validated {
    const parsed = imageDownloadProfileInputSchema.safeParse(body);
    if (!parsed.success) {
      const result: ValidationErrorBody = { error: 'Invalid image download profile', issues: toFieldIssues(parsed.error) };
      return { ok: false, result: { status: 400, body: result } };
    }
    const data = parsed.data;
    if (data.mode === 'SFTP' && !data.sftp.password && !this.deps.profiles.get().sftp.password) {
      const result: ValidationErrorBody = { error: 'Invalid image download profile', issues: [{ path: 'sftp.password', message: 'Password is required in SFTP mode' }] };
      return { ok: false, result: { status: 400, body: result } };
    }
    return { ok: true, data };
  }

  private save(data: ImageDownloadProfileData) {
    const saved = this.deps.profiles.save(data);
    this.deps.profileSaved();
    return saved;
  }

  private action(run: () => void): ApiResult {
    try {
      run();
      return { status: 202, body: this.deps.upgrade() };
    } catch (error) {
      if (error instanceof UpgradeConflictError) return { status: 409, body: { error: error.message } };
      throw error;
    }
  }
}
