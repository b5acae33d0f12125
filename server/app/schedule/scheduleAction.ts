import type { ScheduledActionName } from '../../../lib/rollout';
import type { Scheduler } from '../../orchestrator/scheduler';
import type { ScheduleRecord } from '../../store/scheduleRepository';
import { inTransaction, type Executor } from '../../store/store';
import type { Actor } from '../actor';
import { auditedBy, type AuditLog } from '../audit/auditLog';

export interface ScheduleActionDeps {
  db: Executor;
  scheduler: Scheduler;
  audit: AuditLog;
}

/** Save & Download or Activate at a time: the pending row and its audit line in one transaction, its timer armed once they commit. */
export async function scheduleAction(
  deps: ScheduleActionDeps,
  action: ScheduledActionName,
  when: { at: string; windowEnd: string | null },
  options: unknown,
  actor: Actor,
  detail: string,
): Promise<ScheduleRecord> {
  const record = await inTransaction(deps.db, async (tx) => {
    const created = await deps.scheduler.create(tx, action, when.at, when.windowEnd, options, actor.username);
    await deps.audit.record(auditedBy(actor, 'upgrade.schedule', detail), tx);
    return created;
  });
  deps.scheduler.created(record);
  return record;
}
