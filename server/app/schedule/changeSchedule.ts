import { z } from 'zod';
import { scheduleChangeSchema } from '../../../lib/rollout';
import { toFieldIssues } from '../../../lib/imageDownloadProfile';
import type { Scheduler } from '../../orchestrator/scheduler';
import type { ScheduleRecord } from '../../store/scheduleRepository';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import type { AuditWriteBehind } from '../audit/auditWriteBehind';
import { commandRefusal } from '../upgrade/commandRefusal';
import { invalid, refused, type Result } from '../result';

export interface ChangeScheduleDeps {
  scheduler: Scheduler;
  stagedAudit: AuditWriteBehind;
}

/** The id of a record in a route's path (a scheduled action, an upgrade). */
export const recordIdSchema = z
  .string()
  .regex(/^\d{1,9}$/, 'the id is a whole number')
  .transform(Number);

/** Moves a pending action to another time (and window end); the move and its audit line are written in one flush. */
export async function changeSchedule(deps: ChangeScheduleDeps, rawId: string, input: unknown, actor: Actor): Promise<Result<ScheduleRecord>> {
  const id = recordIdSchema.safeParse(rawId);
  const parsed = scheduleChangeSchema.safeParse(input);
  if (!id.success) return refused('invalid', 'Invalid id');
  if (!parsed.success) return invalid('Invalid schedule', toFieldIssues(parsed.error));
  const { at, windowEnd = null } = parsed.data;
  try {
    const record = await deps.stagedAudit.changeAudited(
      () => deps.scheduler.rescheduleNow(id.data, at, windowEnd),
      (moved) => [auditedBy(actor, 'upgrade.schedule.change', `${moved.action} ${moved.id} to ${moved.at}${moved.windowEnd ? ` until ${moved.windowEnd}` : ''}`)],
    );
    deps.scheduler.changed();
    return { ok: true, value: record };
  } catch (error) {
    return commandRefusal(error);
  }
}

/** Cancels a pending action; the cancel and its audit line are written in one flush. */
export async function cancelSchedule(deps: ChangeScheduleDeps, rawId: string, actor: Actor): Promise<Result<ScheduleRecord>> {
  const id = recordIdSchema.safeParse(rawId);
  if (!id.success) return refused('invalid', 'Invalid id');
  try {
    const record = await deps.stagedAudit.changeAudited(
      () => deps.scheduler.cancelNow(id.data),
      (ended) => [auditedBy(actor, 'upgrade.schedule.cancel', `${ended.action} ${ended.id} at ${ended.at}`)],
    );
    deps.scheduler.changed();
    return { ok: true, value: record };
  } catch (error) {
    return commandRefusal(error);
  }
}
