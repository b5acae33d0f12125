import { escapeLogText } from '../../lib/logText';
import type { SyslogLine, SyslogSeverity } from '../../lib/syslog';
import { statementRuns } from './rowBatches';
import type { Executor } from './store';
import type { UnitOfWork } from './unitOfWork';

/** A line before it is stored: what happened, how bad, under which facility. */
export interface EventLine {
  severity: SyslogSeverity;
  facility: string;
  text: string;
}

/** How many recent lines stay in memory for the page and `GET /api/syslog`. */
const RECENT_LINES = 500;
// Pruning runs once this many lines have been written since the last prune, not on every tick.
const PRUNE_EVERY = 1000;

/** The event log's table: the newest lines at start, new lines written behind, old ones pruned. */
export const eventLogRows = {
  /** The newest lines, oldest first. */
  async recent(db: Executor, limit: number): Promise<SyslogLine[]> {
    const rows = await db.selectFrom('event_log').select(['id', 'time', 'severity', 'facility', 'text']).orderBy('id', 'desc').limit(limit).execute();
    return rows.reverse();
  },

  async append(db: Executor, lines: readonly SyslogLine[]): Promise<void> {
    for (const run of statementRuns(lines, 5)) {
      await db
        .insertInto('event_log')
        .values(run.map(({ id, time, severity, facility, text }) => ({ id, time, severity, facility, text })))
        .execute();
    }
  },

  /** Deletes lines up to and including this id (retention). */
  async prune(db: Executor, throughId: number): Promise<void> {
    await db.deleteFrom('event_log').where('id', '<=', throughId).execute();
  },

  /** Errors and warnings logged between two times, oldest first: what went wrong during an upgrade. */
  async problemsBetween(db: Executor, from: string, to: string): Promise<{ time: string; text: string }[]> {
    return db.selectFrom('event_log').select(['time', 'text']).where('time', '>=', from).where('time', '<=', to).where('severity', 'in', ['error', 'warning']).orderBy('id').limit(500).execute();
  },
};

/**
 * The controller's event log. A line gets its id and reaches listeners at once; it is
 * written to the database at the next store tick, in the same transaction as the state
 * changes around it. The table keeps the newest `retainLines` lines (`EWC_EVENT_LOG_MAX_LINES`).
 */
export class EventLog {
  private readonly listeners = new Set<(line: SyslogLine) => void>();
  private pending: SyslogLine[] = [];
  private nextId: number;
  private sincePrune = 0;

  private constructor(
    private readonly recentLines: SyslogLine[],
    private readonly store: UnitOfWork,
    private readonly retainLines: number,
  ) {
    this.nextId = (this.recentLines.at(-1)?.id ?? 0) + 1;
    store.register({
      take: () => {
        if (this.pending.length === 0) return null;
        const lines = this.pending;
        this.pending = [];
        const prune = this.sincePrune + lines.length >= PRUNE_EVERY ? this.nextId - 1 - this.retainLines : null;
        return {
          write: async (tx) => {
            await eventLogRows.append(tx, lines);
            if (prune !== null) await eventLogRows.prune(tx, prune);
          },
          committed: () => {
            this.sincePrune = prune !== null ? 0 : this.sincePrune + lines.length;
          },
          restore: () => {
            this.pending = [...lines, ...this.pending];
          },
        };
      },
    });
  }

  static async load(db: Executor, store: UnitOfWork, retainLines: number): Promise<EventLog> {
    return new EventLog(await eventLogRows.recent(db, RECENT_LINES), store, retainLines);
  }

  write({ severity, facility, text }: EventLine): SyslogLine {
    // A line is one line, whatever outside text it quotes: the last guard behind each source's own escaping.
    const line: SyslogLine = { id: this.nextId++, time: new Date().toISOString(), severity, facility, text: escapeLogText(text) };
    this.pending.push(line);
    this.recentLines.push(line);
    if (this.recentLines.length > RECENT_LINES) this.recentLines.shift();
    this.store.changed();
    for (const listener of this.listeners) listener(line);
    return line;
  }

  /** The most recent lines, oldest first. */
  recent(limit = RECENT_LINES): SyslogLine[] {
    return this.recentLines.slice(-limit);
  }

  onAppend(listener: (line: SyslogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
