import { z } from 'zod';
import { toFieldIssues } from '../../lib/imageDownloadProfile';
import { macSchema } from '../../lib/macAddress';
import { activateRequestSchema, describeTargets, scheduleChangeSchema, siteTagSchema, type PredownloadTargets } from '../../lib/rollout';
import { upgradeDetailCsv, upgradeHistoryCsv, type UpgradeHistoryDetail } from '../../lib/upgradeHistory';
import type { AuditAction, AuditLog } from '../auth/auditLog';
import { ApActionError } from '../orchestrator/apActions';
import { ScheduleConflictError, type Scheduler } from '../orchestrator/scheduler';
import { RolloutConflictError } from '../orchestrator/rollout';
import { UpgradeConflictError } from '../orchestrator/upgradeConflicts';
import type { UpgradeOrchestrator } from '../orchestrator/upgradeOrchestrator';
import type { UpgradeHistory } from '../store/upgradeHistory';
import type { AccessPointRepository } from '../store/accessPointRepository';
import type { UpgradeRepository } from '../store/upgradeRepository';
import { previewActivation, previewCancel } from '../orchestrator/actionPreview';
import { notAMac, type ApiResult } from './apiResult';
import type { RequestActor } from '../../lib/requestActor';

export interface MaintenanceApiDeps {
  orchestrator: UpgradeOrchestrator;
  /** Read for the previews of Activate and Cancel. */
  aps: AccessPointRepository;
  upgrades: UpgradeRepository;
  scheduler: Scheduler;
  history: UpgradeHistory;
  audit: AuditLog;
}

const idSchema = z
  .string()
  .regex(/^\d{1,9}$/, 'the id is a whole number')
  .transform(Number);

const conflict = (error: unknown): ApiResult => {
  if (error instanceof ApActionError) return { status: error.missing ? 404 : 409, body: { error: error.message } };
  if (error instanceof UpgradeConflictError || error instanceof RolloutConflictError || error instanceof ScheduleConflictError) return { status: 409, body: { error: error.message } };
  throw error;
};

/**
 * The maintenance window's API: activation in waves (now or at a time), Pause, Resume and
 * Abort, per-AP actions, scheduled actions, and the history. Validates at the boundary and audits.
 */
export class MaintenanceApi {
  constructor(private readonly deps: MaintenanceApiDeps) {}

  async activate(body: unknown, actor: RequestActor): Promise<ApiResult> {
    const parsed = activateRequestSchema.safeParse(body ?? {});
    if (!parsed.success) return { status: 400, body: { error: 'Invalid activation', issues: toFieldIssues(parsed.error) } };
    const { at, windowEnd, ...options } = parsed.data;
    const { orchestrator } = this.deps;
    try {
      if (at) {
        const record = await this.deps.scheduler.schedule('activate', at, windowEnd ?? null, options, actor.username);
        await this.audited(actor, 'upgrade.schedule', `activate at ${at}${windowEnd ? ` until ${windowEnd}` : ''} (${options.strategy})`);
        return { status: 202, body: { scheduled: record.id, upgrade: orchestrator.view() } };
      }
      await orchestrator.activate({ ...options, windowEnd }, actor.username);
      await this.audited(actor, 'upgrade.activate', `upgrade ${orchestrator.view().upgradeId} ${options.strategy}`);
      return { status: 202, body: orchestrator.view() };
    } catch (error) {
      return conflict(error);
    }
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
    return preview ? { status: 200, body: preview } : { status: 409, body: { error: 'No predownload is in progress.' } };
  }

  async scheduleDownload(at: string, targets: PredownloadTargets | null, actor: RequestActor): Promise<ApiResult> {
    const record = await this.deps.scheduler.schedule('download', at, null, targets, actor.username);
    await this.audited(actor, 'upgrade.schedule', `download at ${at} to ${describeTargets(targets)}`);
    return { status: 202, body: { scheduled: record.id, upgrade: this.deps.orchestrator.view() } };
  }

  async activation(action: 'pause' | 'resume' | 'abort', actor: RequestActor): Promise<ApiResult> {
    const { orchestrator } = this.deps;
    try {
      await orchestrator.activation(action, { reason: `paused by ${actor.username}` });
      await this.audited(actor, `upgrade.${action}`, `upgrade ${orchestrator.view().upgradeId}`);
      return { status: 202, body: orchestrator.view() };
    } catch (error) {
      return conflict(error);
    }
  }

  async apAction(rawMac: string, action: 'retry' | 'abort' | 'exclude' | 'include', actor: RequestActor): Promise<ApiResult> {
    const mac = macSchema.safeParse(rawMac);
    if (!mac.success) return notAMac(rawMac);
    const actions = this.deps.orchestrator.apActions;
    try {
      const ap = action === 'retry' ? actions.retryNow(mac.data) : action === 'abort' ? actions.abort(mac.data) : actions.exclude(mac.data, action === 'exclude');
      await this.audited(actor, `ap.${action}`, `${ap.name} ${ap.mac}`);
      return { status: 202, body: { mac: ap.mac, name: ap.name, predownloadStatus: ap.predownloadStatus, activationExcluded: ap.activationExcluded } };
    } catch (error) {
      return conflict(error);
    }
  }

  /**
   * `ap image predownload site-tag NAME abort`: 202 `{ cancelled: true }` when the predownload was that site
   * tag's alone (it ends as Cancel ends it), or `{ cancelled: false, aborted: [names] }`; 409 when none of it runs.
   */
  async abortSiteTag(rawSiteTag: string, actor: RequestActor): Promise<ApiResult> {
    const siteTag = siteTagSchema.safeParse(rawSiteTag);
    if (!siteTag.success) return { status: 400, body: { error: siteTag.error.issues[0].message } };
    try {
      const upgradeId = this.deps.orchestrator.view().upgradeId;
      const stopped = await this.deps.orchestrator.abortSiteTag(siteTag.data);
      if (stopped === null) {
        await this.audited(actor, 'upgrade.cancel', `upgrade ${upgradeId} (site tag ${siteTag.data})`);
        return { status: 202, body: { cancelled: true, aborted: [] } };
      }
      for (const ap of stopped) await this.audited(actor, 'ap.abort', `${ap.name} ${ap.mac} (site tag ${siteTag.data})`);
      return { status: 202, body: { cancelled: false, aborted: stopped.map((ap) => ap.name) } };
    } catch (error) {
      return conflict(error);
    }
  }

  async changeSchedule(rawId: string, body: unknown, actor: RequestActor): Promise<ApiResult> {
    const id = idSchema.safeParse(rawId);
    const parsed = scheduleChangeSchema.safeParse(body);
    if (!id.success) return { status: 400, body: { error: 'Invalid id' } };
    if (!parsed.success) return { status: 400, body: { error: 'Invalid schedule', issues: toFieldIssues(parsed.error) } };
    try {
      const record = await this.deps.scheduler.reschedule(id.data, parsed.data.at, parsed.data.windowEnd ?? null);
      await this.audited(actor, 'upgrade.schedule.change', `${record.action} ${record.id} to ${record.at}${record.windowEnd ? ` until ${record.windowEnd}` : ''}`);
      return { status: 200, body: record };
    } catch (error) {
      return conflict(error);
    }
  }

  async cancelSchedule(rawId: string, actor: RequestActor): Promise<ApiResult> {
    const id = idSchema.safeParse(rawId);
    if (!id.success) return { status: 400, body: { error: 'Invalid id' } };
    try {
      const record = await this.deps.scheduler.cancel(id.data);
      await this.audited(actor, 'upgrade.schedule.cancel', `${record.action} ${record.id} at ${record.at}`);
      return { status: 200, body: record };
    } catch (error) {
      return conflict(error);
    }
  }

  async listUpgrades(): Promise<ApiResult> {
    return { status: 200, body: await this.deps.history.list() };
  }

  async getUpgrade(rawId: string): Promise<ApiResult> {
    const id = idSchema.safeParse(rawId);
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

  private async audited(actor: RequestActor, action: AuditAction, detail: string): Promise<void> {
    await this.deps.audit.record({ username: actor.username, sourceAddress: actor.sourceAddress, action, detail });
  }
}
