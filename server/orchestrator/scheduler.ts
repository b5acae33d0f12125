import type { ScheduledActionName } from '../../lib/rollout';
import { sentence } from '../../lib/serverSentences';
import type { EventLog } from '../store/eventLog';
import type { ScheduleRecord, ScheduleRepository } from '../store/scheduleRepository';
import type { Executor } from '../store/store';
import type { ConsoleNotifier } from './notifier';
import { SaidError } from './saidError';
import { syslogText } from './syslogText';

export interface SchedulerDeps {
  schedules: ScheduleRepository;
  log: EventLog;
  notifier: ConsoleNotifier;
  /** Runs a due action (server/app/schedule/runScheduledAction.ts); `stopped` says whether the console stopped meanwhile. */
  runDue: (record: ScheduleRecord, stopped: () => boolean) => Promise<void>;
}

// setTimeout holds at most about 24 days; a later action is re-armed when this much has passed.
const MAX_TIMER_MS = 2 ** 30;

/** A scheduled action that is no longer pending (started or cancelled): the API answers 409. */
export class ScheduleConflictError extends SaidError {}

/**
 * Arms a timer for each pending Save & Download and Activate and hands it, when due, to `runDue` (the use
 * case that runs it for its creator). The rows are the truth:
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
    if (!this.deps.schedules.reschedule(id, at, windowEnd)) throw new ScheduleConflictError(sentence('scheduleNotPending', { id }));
    const record = this.deps.schedules.get(id)!;
    this.deps.log.write(syslogText.upgrade(`${label(record.action)} rescheduled for ${at}${windowEnd ? ` (window ends ${windowEnd})` : ''}`));
    this.arm(record);
    return record;
  }

  /** Cancels a pending action in memory (see `rescheduleNow`). */
  cancelNow(id: number): ScheduleRecord {
    this.refuseStarting(id);
    if (!this.deps.schedules.end(id, 'cancelled', 'Cancelled before it started')) throw new ScheduleConflictError(sentence('scheduleNotPending', { id }));
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
    if (this.starting.has(id)) throw new ScheduleConflictError(sentence('scheduleStarting', { id }));
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
            void this.deps
              .runDue(current, () => this.disposed)
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

  /** A due action started (`outcome` says what) or did not (`reason`): its row ends and the log says so. The use case that ran it audits it in the same flush. */
  endRun(record: ScheduleRecord, ended: { outcome: string } | { reason: string }): void {
    if ('reason' in ended) {
      this.deps.schedules.end(record.id, 'failed', ended.reason);
      this.deps.log.write(syslogText.upgrade(`Scheduled ${label(record.action)} for ${record.at} did not start: ${ended.reason}`, 'error'));
      return;
    }
    this.deps.schedules.end(record.id, 'started', ended.outcome);
    this.deps.log.write(syslogText.upgrade(`Scheduled ${label(record.action)} for ${record.at}: ${ended.outcome}`));
  }
}

function label(action: ScheduledActionName): string {
  return action === 'download' ? 'Save & Download' : 'Activate';
}
