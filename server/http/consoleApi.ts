import type { ApImageReport } from '../../lib/apImage';
import { apImageQuerySchema, type ApImageQuery } from '../../lib/apImageQuery';
import { hostKeyRequestSchema, toFieldIssues, toProfileView, type HostKeyInfo } from '../../lib/imageDownloadProfile';
import { hostPort } from '../../lib/netAddress';
import type { RequestActor } from '../../lib/requestActor';
import type { SyslogLine } from '../../lib/syslog';
import type { UpgradeView } from '../../lib/upgradeStage';
import { actorVia, type ActorVia } from '../app/actor';
import type { AppDeps } from '../app/appDeps';
import { saveProfile } from '../app/profile/saveProfile';
import { INVALID_PROFILE } from '../app/profile/validateProfile';
import { cancelPredownload } from '../app/upgrade/cancelPredownload';
import { startPredownload } from '../app/upgrade/startPredownload';
import type { RuntimeMonitor } from '../diagnostics/runtimeStats';
import type { EventLog } from '../store/eventLog';
import type { ProfileRepository } from '../store/profileRepository';
import type { ApiResult } from './apiResult';
import { answer } from './domainResult';
import type { MaintenanceApi } from './maintenanceApi';
import { exportProfileConfig } from './profileExport';

export interface ConsoleApiDeps {
  /** The use cases' dependencies (server/app): every change goes through them. */
  app: AppDeps;
  profiles: ProfileRepository;
  log: EventLog;
  apImage: (query: ApImageQuery) => ApImageReport;
  upgrade: () => UpgradeView;
  /** Reads an SSH server's host key without logging in; rejects with the reason (`Timed out`, `Connection refused`). */
  probeHostKey: (host: string, port: number) => Promise<HostKeyInfo>;
  runtime: RuntimeMonitor;
  /** Activation in waves, schedules, per-AP actions and the history. */
  maintenance: MaintenanceApi;
}

/**
 * The console's API routes, independent of Next.js: each change is a use case of server/app, answered
 * here as a status and a body (the mapping of refusals is domainResult.ts). Route handlers stay thin.
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
    return answer(await saveProfile(this.deps.app, body, actorVia(actor, 'api')), 200);
  }

  async startDownload(body: unknown, actor: RequestActor, via: ActorVia = 'api'): Promise<ApiResult> {
    const result = await startPredownload(this.deps.app, body, actorVia(actor, via));
    return answer(result, 202, (value) => ('started' in value ? { upgradeId: value.started } : value));
  }

  async hostKey(body: unknown): Promise<ApiResult> {
    const parsed = hostKeyRequestSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: { error: INVALID_PROFILE, issues: toFieldIssues(parsed.error) } };
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
    return answer(await cancelPredownload(this.deps.app, actorVia(actor, 'api')), 202);
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
}
