import { activateRequestSchema, predownloadTargetsSchema, type ScheduledActionName } from '../../lib/rollout';
import type { AuditLog } from '../app/audit/auditLog';
import type { ProfileRepository } from '../store/profileRepository';
import type { EventLog } from '../store/eventLog';
import type { ScheduleRecord, ScheduleRepository } from '../store/scheduleRepository';
import type { Executor } from '../store/store';
import type { UnitOfWork } from '../store/unitOfWork';
import type { ConsoleNotifier } from './notifier';
import { syslogText } from './syslogText';
import type { UpgradeOrchestrator } from './upgradeOrchestrator';

export interface SchedulerDeps {
  db: Executor;
  store: UnitOfWork;
  schedules: ScheduleRepository;
  orchestrator: UpgradeOrchestrator;
  profiles: ProfileRepository;
  log: EventLog;
  audit: AuditLog;
  notifier: ConsoleNotifier;
}

// setTimeout holds at most about 24 days; a later action is re-armed when this much has passed.
const MAX_TIMER_MS = 2 ** 30;

/** A scheduled action that is no longer pending (started or cancelled): the API answers 409. */
export class ScheduleConflictError extends Error {}

/**
 * Runs Save & Download and Activate at the time they were set for. The rows are the truth:
 * timers are armed from them at start, so an action set before a restart still runs (at once,
 * if its time passed while the console was down).
 */
export class Scheduler {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  /** Actions starting now (a Save & Download reads the bundle's version first): too late to move or cancel them. */
  private readonly starting = new Set<number>();
  private disposed = false;

  constructor(private readonly deps: SchedulerDeps) {
    for (const record of deps.schedules.pendingRecords()) this.arm(record);
  }

  /** Writes a pending action's row with `db` (a use case's transaction, with its audit line); call `created` once that commits. */
  create(db: Executor, action: ScheduledActionName, at: string, windowEnd: string | null, options: unknown, createdBy: string): Promise<ScheduleRecord> {
    return this.deps.schedules.create(db, action, at, windowEnd, options, createdBy);
  }

  /** A new action's row is committed: its timer is armed and the pages are told. */
  created(record: ScheduleRecord): void {
    const { action, at, windowEnd, createdBy } = record;
    this.deps.log.write(syslogText.upgrade(`${label(action)} scheduled for ${at}${windowEnd ? ` (window ends ${windowEnd})` : ''} by ${createdBy}`));
    this.arm(record);
    this.deps.notifier.upgradeChanged();
  }

  /**
   * Moves a pending action in memory (the unit of work writes it); refused when it is no longer pending.
   * A use case stages its audit line, flushes, then calls `changed`.
   */
  rescheduleNow(id: number, at: string, windowEnd: string | null): ScheduleRecord {
    this.refuseStarting(id);
    if (!this.deps.schedules.reschedule(id, at, windowEnd)) throw new ScheduleConflictError(`Scheduled action ${id} is not pending.`);
    const record = this.deps.schedules.get(id)!;
    this.deps.log.write(syslogText.upgrade(`${label(record.action)} rescheduled for ${at}${windowEnd ? ` (window ends ${windowEnd})` : ''}`));
    this.arm(record);
    return record;
  }

  /** Cancels a pending action in memory (see `rescheduleNow`). */
  cancelNow(id: number): ScheduleRecord {
    this.refuseStarting(id);
    if (!this.deps.schedules.end(id, 'cancelled', 'Cancelled before it started')) throw new ScheduleConflictError(`Scheduled action ${id} is not pending.`);
    this.disarm(id);
    const record = this.deps.schedules.get(id)!;
    this.deps.log.write(syslogText.upgrade(`Scheduled ${label(record.action)} for ${record.at} cancelled`, 'warning'));
    return record;
  }

  /** A change of the schedules is written: open pages show it. */
  changed(): void {
    this.deps.notifier.upgradeChanged();
  }

  private refuseStarting(id: number): void {
    if (this.starting.has(id)) throw new ScheduleConflictError(`Scheduled action ${id} is starting now.`);
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private arm(record: ScheduleRecord): void {
    this.disarm(record.id);
    const delay = Math.max(0, Date.parse(record.at) - Date.now());
    this.timers.set(
      record.id,
      setTimeout(
        () => {
          this.timers.delete(record.id);
          const current = this.deps.schedules.get(record.id);
          if (!current || current.state !== 'pending') return;
          if (Date.parse(current.at) > Date.now()) this.arm(current);
          else {
            this.starting.add(current.id);
            void this.run(current)
              .catch((error: Error) => console.error(`Scheduled action ${current.id}: ${error.message}`))
              .finally(() => this.starting.delete(current.id));
          }
        },
        Math.min(delay, MAX_TIMER_MS),
      ),
    );
  }

  private disarm(id: number): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }

  private async run(record: ScheduleRecord): Promise<void> {
    const { orchestrator } = this.deps;
    let outcome: string;
    try {
      if (record.action === 'download') {
        const targets = predownloadTargetsSchema.nullable().parse(record.options ?? null);
        const upgrade = await orchestrator.startPredownload(this.deps.profiles.get(), targets, { username: record.createdBy, via: 'schedule' }).catch((error: unknown) => {
          // The controller stopped while the action read the bundle's version: nothing started, and its row stays
          // pending (the store is closed), so the next start runs it at once, as for an action due while it was down.
          if (this.disposed) return null;
          throw error;
        });
        if (!upgrade) return;
        // A bundle whose version cannot be read makes an upgrade that failed at once: the outcome says so.
        outcome = upgrade.stage === 'Failed' ? `upgrade ${upgrade.id} failed at once: ${upgrade.message ?? ''}` : `started upgrade ${upgrade.id}`;
      } else {
        const options = activateRequestSchema.parse(record.options);
        const windowEnd = record.windowEnd ?? undefined;
        // A rollout that waits, paused, for its next window continues in this one.
        if (orchestrator.view().stage === 'Reload') await orchestrator.activation('resume', { windowEnd: windowEnd ?? null });
        else await orchestrator.activate({ ...options, windowEnd }, record.createdBy);
        outcome = `activation of upgrade ${orchestrator.view().upgradeId} started`;
      }
    } catch (error) {
      const reason = (error as Error).message;
      this.deps.schedules.end(record.id, 'failed', reason);
      this.deps.log.write(syslogText.upgrade(`Scheduled ${label(record.action)} for ${record.at} did not start: ${reason}`, 'error'));
      await this.deps.audit.record({ username: record.createdBy, sourceAddress: 'schedule', action: 'upgrade.schedule.run', detail: `${record.action} ${record.id} failed: ${reason}` });
      this.deps.notifier.upgradeChanged();
      return;
    }
    this.deps.schedules.end(record.id, 'started', outcome);
    this.deps.log.write(syslogText.upgrade(`Scheduled ${label(record.action)} for ${record.at}: ${outcome}`));
    await this.deps.audit.record({ username: record.createdBy, sourceAddress: 'schedule', action: 'upgrade.schedule.run', detail: `${record.action} ${record.id}: ${outcome}` });
    this.deps.notifier.upgradeChanged();
  }
}

function label(action: ScheduledActionName): string {
  return action === 'download' ? 'Save & Download' : 'Activate';
}
