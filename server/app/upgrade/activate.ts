import { toFieldIssues } from '../../../lib/imageDownloadProfile';
import { activateRequestSchema } from '../../../lib/rollout';
import type { UpgradeView } from '../../../lib/upgradeStage';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import { invalid, type Result } from '../result';
import { scheduleAction, type ScheduleActionDeps } from '../schedule/scheduleAction';
import { commandRefusal } from './commandRefusal';
import type { UpgradeCommandDeps } from './upgradeCommandDeps';

export type ActivateDeps = UpgradeCommandDeps & ScheduleActionDeps;

/** Activated now (the upgrade as it is then), or scheduled (the pending action's id). */
export type ActivateAnswer = { scheduled: null; upgrade: UpgradeView } | { scheduled: number; upgrade: UpgradeView };

/**
 * Activate now or at a time, all at once or rolling in waves. Now: the stage's move, the first wave and
 * the audit line commit in one flush. At a time: the pending row and its audit line in one transaction.
 */
export async function activate(deps: ActivateDeps, input: unknown, actor: Actor): Promise<Result<ActivateAnswer>> {
  const parsed = activateRequestSchema.safeParse(input ?? {});
  if (!parsed.success) return invalid('Invalid activation', toFieldIssues(parsed.error));
  const { at, windowEnd, ...options } = parsed.data;
  const { orchestrator } = deps;
  try {
    if (at) {
      const detail = `activate at ${at}${windowEnd ? ` until ${windowEnd}` : ''} (${options.strategy})`;
      const record = await scheduleAction(deps, 'activate', { at, windowEnd: windowEnd ?? null }, options, actor, detail);
      return { ok: true, value: { scheduled: record.id, upgrade: orchestrator.view() } };
    }
    await deps.stagedAudit.changeAudited(
      () => orchestrator.commands.activateNow({ ...options, windowEnd }, actor.username),
      () => [auditedBy(actor, 'upgrade.activate', `upgrade ${orchestrator.view().upgradeId} ${options.strategy}`)],
    );
    return { ok: true, value: { scheduled: null, upgrade: orchestrator.view() } };
  } catch (error) {
    return commandRefusal(error);
  }
}
