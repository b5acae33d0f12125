import type { ScheduledActionName, ScheduledView } from '../../lib/rollout';
import type { Db } from './database';

export type ScheduleState = 'pending' | 'started' | 'cancelled' | 'failed';

export interface ScheduleRecord extends ScheduledView {
  /** The activation options or the predownload's targets, as the request gave them (parsed again when it runs). */
  options: unknown;
  state: ScheduleState;
  outcome: string | null;
}

interface ScheduleRow {
  id: number;
  action: ScheduledActionName;
  at: string;
  window_end: string | null;
  options: string;
  state: ScheduleState;
  created_by: string;
  outcome: string | null;
}

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

/** Save & Download and Activate set for later: rows in the database, so they outlive a restart. */
export class ScheduleRepository {
  private readonly statements;
  private pendingViews: ScheduledView[] = [];

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare(`INSERT INTO scheduled_action (action, at, window_end, options, state, created_by, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)`),
      pending: db.prepare(`SELECT * FROM scheduled_action WHERE state = 'pending' ORDER BY at, id`),
      get: db.prepare('SELECT * FROM scheduled_action WHERE id = ?'),
      reschedule: db.prepare(`UPDATE scheduled_action SET at = ?, window_end = ? WHERE id = ? AND state = 'pending'`),
      end: db.prepare(`UPDATE scheduled_action SET state = ?, outcome = ? WHERE id = ? AND state = 'pending'`),
    };
    this.refresh();
  }

  create(action: ScheduledActionName, at: string, windowEnd: string | null, options: unknown, createdBy: string): ScheduleRecord {
    const info = this.statements.insert.run(action, at, windowEnd, JSON.stringify(options), createdBy, new Date().toISOString());
    this.refresh();
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): ScheduleRecord | null {
    const row = this.statements.get.get(id) as ScheduleRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Every action still to run, soonest first (kept in memory: the upgrade view reads it often). */
  pending(): ScheduledView[] {
    return this.pendingViews;
  }

  pendingRecords(): ScheduleRecord[] {
    return (this.statements.pending.all() as ScheduleRow[]).map(fromRow);
  }

  /** Compare-and-set on `pending`: false when it started or was cancelled meanwhile. */
  reschedule(id: number, at: string, windowEnd: string | null): boolean {
    const changed = this.statements.reschedule.run(at, windowEnd, id).changes === 1;
    this.refresh();
    return changed;
  }

  end(id: number, state: Exclude<ScheduleState, 'pending'>, outcome: string): boolean {
    const changed = this.statements.end.run(state, outcome, id).changes === 1;
    this.refresh();
    return changed;
  }

  private refresh(): void {
    this.pendingViews = this.pendingRecords().map(({ id, action, at, windowEnd, createdBy }) => ({ id, action, at, windowEnd, createdBy }));
  }
}
