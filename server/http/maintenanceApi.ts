import { toFieldIssues } from '../../lib/imageDownloadProfile';
import type { RequestActor } from '../../lib/requestActor';
import { activateRequestSchema } from '../../lib/rollout';
import { refusalBody, sentence } from '../../lib/serverSentences';
import { upgradeDetailCsv, upgradeHistoryCsv, type UpgradeHistoryDetail } from '../../lib/upgradeHistory';
import { actorVia } from '../app/actor';
import type { AppDeps } from '../app/appDeps';
import { cancelSchedule, changeSchedule, recordIdSchema } from '../app/schedule/changeSchedule';
import { abortSiteTag } from '../app/upgrade/abortSiteTag';
import { activate } from '../app/upgrade/activate';
import { apAction, type ApActionName } from '../app/upgrade/apAction';
import { controlActivation, type ActivationControl } from '../app/upgrade/controlActivation';
import { previewActivation, previewCancel } from '../orchestrator/actionPreview';
import type { AccessPointRepository } from '../store/accessPointRepository';
import type { UpgradeHistory } from '../store/upgradeHistory';
import type { UpgradeRepository } from '../store/upgradeRepository';
import type { ApiResult } from './apiResult';
import { answer } from './domainResult';

export interface MaintenanceApiDeps {
  /** The use cases' dependencies (server/app): every change goes through them. */
  app: AppDeps;
  /** Read for the previews of Activate and Cancel. */
  aps: AccessPointRepository;
  upgrades: UpgradeRepository;
  history: UpgradeHistory;
}

/**
 * The maintenance window's API: activation in waves (now or at a time), Pause, Resume and Abort, per-AP
 * actions, scheduled actions (use cases of server/app), the previews and the history.
 */
export class MaintenanceApi {
  constructor(private readonly deps: MaintenanceApiDeps) {}

  async activate(body: unknown, actor: RequestActor): Promise<ApiResult> {
    const result = await activate(this.deps.app, body, actorVia(actor, 'api'));
    return answer(result, 202, (value) => (value.scheduled === null ? value.upgrade : value));
  }

  /** What Activate with this body would reload now (the page's confirmation); nothing changes. */
  previewActivation(body: unknown): ApiResult {
    const parsed = activateRequestSchema.safeParse(body ?? {});
    if (!parsed.success) return { status: 400, body: { error: 'Invalid activation', issues: toFieldIssues(parsed.error) } };
    const { at: _at, ...options } = parsed.data;
    return { status: 200, body: previewActivation(this.deps.upgrades.latest(), this.deps.aps.all(), options) };
  }

  /** What Cancel would stop now; nothing changes. */
  previewCancel(): ApiResult {
    const preview = previewCancel(this.deps.upgrades.latest(), this.deps.aps.all());
    return preview ? { status: 200, body: preview } : { status: 409, body: refusalBody(sentence('noPredownloadInProgress')) };
  }

  async activation(action: ActivationControl, actor: RequestActor): Promise<ApiResult> {
    return answer(await controlActivation(this.deps.app, action, actorVia(actor, 'api')), 202);
  }

  async apAction(rawMac: string, action: ApActionName, actor: RequestActor): Promise<ApiResult> {
    const result = await apAction(this.deps.app, rawMac, action, actorVia(actor, 'api'));
    return answer(result, 202, (ap) => ({ mac: ap.mac, name: ap.name, predownloadStatus: ap.predownloadStatus, activationExcluded: ap.activationExcluded }));
  }

  /**
   * `ap image predownload site-tag NAME abort`: 202 `{ cancelled: true }` when the predownload was that site
   * tag's alone (it ends as Cancel ends it), or `{ cancelled: false, aborted: [names] }`; 409 when none of it runs.
   */
  async abortSiteTag(rawSiteTag: string, actor: RequestActor): Promise<ApiResult> {
    return answer(await abortSiteTag(this.deps.app, rawSiteTag, actorVia(actor, 'api')), 202);
  }

  async changeSchedule(rawId: string, body: unknown, actor: RequestActor): Promise<ApiResult> {
    return answer(await changeSchedule(this.deps.app, rawId, body, actorVia(actor, 'api')), 200);
  }

  async cancelSchedule(rawId: string, actor: RequestActor): Promise<ApiResult> {
    return answer(await cancelSchedule(this.deps.app, rawId, actorVia(actor, 'api')), 200);
  }

  async listUpgrades(): Promise<ApiResult> {
    return { status: 200, body: await this.deps.history.list() };
  }

  async getUpgrade(rawId: string): Promise<ApiResult> {
    const id = recordIdSchema.safeParse(rawId);
    if (!id.success) return { status: 400, body: { error: 'Invalid id' } };
    const detail = await this.deps.history.get(id.data);
    return detail ? { status: 200, body: detail } : { status: 404, body: { error: `No upgrade ${id.data}` } };
  }

  async exportUpgrade(rawId: string): Promise<ApiResult> {
    const found = await this.getUpgrade(rawId);
    if (found.status !== 200) return found;
    return { status: 200, body: upgradeDetailCsv(found.body as UpgradeHistoryDetail), contentType: 'text/csv' };
  }

  async exportUpgrades(): Promise<ApiResult> {
    return { status: 200, body: upgradeHistoryCsv(await this.deps.history.list()), contentType: 'text/csv' };
  }
}
