import type { SyslogLine, SyslogSeverity } from '../../lib/syslog';
import type { Db } from './database';

/** The controller's event log: every line is stored, then handed to whoever listens (the browser hub). */
/** A line before it is stored: what happened, how bad, under which facility. */
export interface EventLine {
  severity: SyslogSeverity;
  facility: string;
  text: string;
}

export class EventLog {
  private readonly listeners = new Set<(line: SyslogLine) => void>();

  constructor(private readonly db: Db) {}

  write({ severity, facility, text }: EventLine): SyslogLine {
    const time = new Date().toISOString();
    const info = this.db.prepare('INSERT INTO event_log (time, severity, facility, text) VALUES (?, ?, ?, ?)').run(time, severity, facility, text);
    const line: SyslogLine = { id: Number(info.lastInsertRowid), time, severity, facility, text };
    for (const listener of this.listeners) listener(line);
    return line;
  }

  /** The most recent lines, oldest first. */
  recent(limit = 500): SyslogLine[] {
    const rows = this.db.prepare('SELECT id, time, severity, facility, text FROM event_log ORDER BY id DESC LIMIT ?').all(limit) as SyslogLine[];
    return rows.reverse();
  }

  onAppend(listener: (line: SyslogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
