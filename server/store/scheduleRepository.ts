import type { ScheduledActionName, ScheduledView } from '../../lib/rollout';
import type { ScheduledActionTable } from './schema';
import { afterCommit, type Executor } from './store';
import { ChangedRecords, type UnitOfWork } from './unitOfWork';

export type ScheduleState = 'pending' | 'started' | 'cancelled' | 'failed';

export interface ScheduleRecord extends ScheduledView {
  /** The activation options or the predownload's targets, as the request gave them (parsed again when it runs). */
  options: unknown;
  state: ScheduleState;
  outcome: string | null;
}

type ScheduleRow = Omit<ScheduledActionTable, 'id'> & { id: number };

const fromRow = (row: ScheduleRow): ScheduleRecord => ({
  id: row.id,
  action: row.action,
  at: row.at,
  windowEnd: row.window_end,
  options: JSON.parse(row.options) as unknown,
  state: row.state,
  createdBy: row.created_by,
  outcome: row.outcome,
});

/**
 * Save & Download and Activate set for later: rows in the database, so they outlive a restart, and the
 * actions still pending in memory, where moving, cancelling and starting one is a compare-and-set on its
 * state (synchronous: a cancel and the timer that starts it never both win), written behind by the unit of work.
 * A new one is inserted at once, which numbers it.
 */
export class ScheduleRepository {
  private readonly held = new Map<number, ScheduleRecord>();
  private readonly changed = new ChangedRecords(
    (id: number) => this.held.get(id),
    async (tx, records: ScheduleRecord[]) => {
      for (const { id, at, windowEnd, state, outcome } of records) {
        await tx.updateTable('scheduled_action').set({ at, window_end: windowEnd, state, outcome }).where('id', '=', id).execute();
      }
    },
  );
  private pendingViews: ScheduledView[] = [];

  private constructor(
    pending: readonly ScheduleRecord[],
    private readonly store: UnitOfWork,
  ) {
    for (const record of pending) this.held.set(record.id, record);
    this.refresh();
    store.register(this.changed);
  }

  static async load(db: Executor, store: UnitOfWork): Promise<ScheduleRepository> {
    const rows = await db.selectFrom('scheduled_action').selectAll().where('state', '=', 'pending').orderBy('at').orderBy('id').execute();
    return new ScheduleRepository(rows.map(fromRow), store);
  }

  async create(db: Executor, action: ScheduledActionName, at: string, windowEnd: string | null, options: unknown, createdBy: string): Promise<ScheduleRecord> {
    const row = await db
      .insertInto('scheduled_action')
      .values({ action, at, window_end: windowEnd, options: JSON.stringify(options), state: 'pending', created_by: createdBy, created_at: new Date().toISOString() })
      .returningAll()
      .executeTakeFirstOrThrow();
    const record = fromRow(row);
    // Held once the row is committed: a use case writes it in one transaction with its audit line, which may roll back.
    afterCommit(db, () => {
      this.held.set(record.id, record);
      this.refresh();
    });
    return record;
  }

  /** A scheduled action this process holds: pending ones, and those that ended here. */
  get(id: number): ScheduleRecord | null {
    return this.held.get(id) ?? null;
  }

  /** Every action still to run, soonest first (the upgrade view reads it often). */
  pending(): ScheduledView[] {
    return this.pendingViews;
  }

  pendingRecords(): ScheduleRecord[] {
    return [...this.held.values()].filter((record) => record.state === 'pending').sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id - b.id));
  }

  /** Compare-and-set on `pending`: false when it started or was cancelled meanwhile. */
  reschedule(id: number, at: string, windowEnd: string | null): boolean {
    return this.changePending(id, { at, windowEnd });
  }

  end(id: number, state: Exclude<ScheduleState, 'pending'>, outcome: string): boolean {
    return this.changePending(id, { state, outcome });
  }

  private changePending(id: number, change: Partial<ScheduleRecord>): boolean {
    const record = this.held.get(id);
    if (record?.state !== 'pending') return false;
    this.held.set(id, { ...record, ...change });
    this.changed.mark(id);
    this.store.changed();
    this.refresh();
    return true;
  }

  private refresh(): void {
    this.pendingViews = this.pendingRecords().map(({ id, action, at, windowEnd, createdBy }) => ({ id, action, at, windowEnd, createdBy }));
  }
}
