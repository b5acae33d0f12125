import { escapeLogText } from '../../lib/logText';
import type { SyslogLine, SyslogSeverity } from '../../lib/syslog';
import type { FleetStore } from './fleetStore';
import type { WriteBehind } from './writeBehind';

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

/**
 * The controller's event log. A line gets its id and reaches listeners at once; it is
 * written to the database at the next store tick, in the same transaction as the state
 * changes around it. The table keeps the newest `retainLines` lines (`EWC_EVENT_LOG_MAX_LINES`).
 */
export class EventLog {
  private readonly listeners = new Set<(line: SyslogLine) => void>();
  private readonly recentLines: SyslogLine[];
  private pending: SyslogLine[] = [];
  private writing = 0;
  private nextId: number;
  private sincePrune = 0;

  constructor(
    database: FleetStore,
    private readonly store: WriteBehind,
    private readonly retainLines: number,
  ) {
    this.recentLines = database.loadRecentEventLines(RECENT_LINES);
    this.nextId = (this.recentLines.at(-1)?.id ?? 0) + 1;
    store.register({
      write: () => {
        this.writing = this.pending.length;
        database.appendEventLines(this.pending);
        this.sincePrune += this.writing;
        if (this.sincePrune >= PRUNE_EVERY) {
          database.pruneEventLines(this.nextId - 1 - this.retainLines);
          this.sincePrune = 0;
        }
      },
      committed: () => {
        this.pending = this.pending.slice(this.writing);
        this.writing = 0;
      },
    });
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
