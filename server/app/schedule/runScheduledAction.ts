import { activateRequestSchema, predownloadTargetsSchema } from '../../../lib/rollout';
import type { Scheduler } from '../../orchestrator/scheduler';
import type { UpgradeOrchestrator } from '../../orchestrator/upgradeOrchestrator';
import type { ProfileRepository } from '../../store/profileRepository';
import type { ScheduleRecord } from '../../store/scheduleRepository';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import type { AuditWriteBehind } from '../audit/auditWriteBehind';
import { ok, refused, type Result } from '../result';
import { commandRefusal } from '../upgrade/commandRefusal';

export interface RunScheduledActionDeps {
  orchestrator: UpgradeOrchestrator;
  profiles: ProfileRepository;
  scheduler: Scheduler;
  stagedAudit: AuditWriteBehind;
}

/**
 * A scheduled Save & Download or Activate, due now, run for the admin who set it (via `schedule`): its row
 * ends as started or failed, the log says so, and the audit line `upgrade.schedule.run` is written in the
 * same flush as the row's end.
 */
export async function runScheduledAction(deps: RunScheduledActionDeps, record: ScheduleRecord, stopped: () => boolean): Promise<void> {
  const actor: Actor = { username: record.createdBy, role: 'admin', sourceAddress: 'schedule', via: 'schedule' };
  const result = await startDue(deps, record, actor, stopped);
  if (result === null) return;
  const detail = result.ok ? `${record.action} ${record.id}: ${result.value}` : `${record.action} ${record.id} failed: ${result.error.message}`;
  await deps.stagedAudit.changeAudited(
    () => deps.scheduler.endRun(record, result.ok ? { outcome: result.value } : { reason: result.error.message }),
    () => [auditedBy(actor, 'upgrade.schedule.run', detail)],
  );
  deps.scheduler.changed();
}

/** The outcome as the history and the log say it, the refusal, or null when the console stopped meanwhile (nothing started). */
async function startDue(deps: RunScheduledActionDeps, record: ScheduleRecord, actor: Actor, stopped: () => boolean): Promise<Result<string> | null> {
  const { orchestrator } = deps;
  try {
    if (record.action === 'download') {
      const targets = predownloadTargetsSchema.nullable().parse(record.options ?? null);
      const upgrade = await orchestrator.startPredownload(deps.profiles.get(), targets, { username: actor.username, via: 'schedule' }).catch((error: unknown) => {
        // The controller stopped while the action read the bundle's version: nothing started, and its row stays
        // pending (the store is closed), so the next start runs it at once, as for an action due while it was down.
        if (stopped()) return null;
        throw error;
      });
      if (!upgrade) return null;
      // A bundle whose version cannot be read makes an upgrade that failed at once: the outcome says so.
      return ok(upgrade.stage === 'Failed' ? `upgrade ${upgrade.id} failed at once: ${upgrade.message ?? ''}` : `started upgrade ${upgrade.id}`);
    }
    const options = activateRequestSchema.parse(record.options);
    const windowEnd = record.windowEnd ?? undefined;
    // A rollout that waits, paused, for its next window continues in this one.
    if (orchestrator.view().stage === 'Reload') await orchestrator.activation('resume', { windowEnd: windowEnd ?? null });
    else await orchestrator.activate({ ...options, windowEnd }, actor.username);
    return ok(`activation of upgrade ${orchestrator.view().upgradeId} started`);
  } catch (error) {
    try {
      return commandRefusal(error);
    } catch {
      // Whatever else stopped it (a stored option that no longer parses, an image server's answer) is said as is.
      return refused('unavailable', (error as Error).message);
    }
  }
}
