import type { SyslogLine } from '../../lib/syslog';
import type { AccessPointRecord } from '../fleet/accessPoint';

/**
 * What the in-memory fleet needs from a database: load it at start, write changed APs and
 * new log lines behind it, inside one transaction. SQLite implements it today
 * (`sqliteFleetStore.ts`); a PostgreSQL implementation can take its place for several console nodes.
 */
export interface FleetStore {
  loadAccessPoints(): AccessPointRecord[];
  /** Inserts or updates these APs; called inside `transaction`. */
  saveAccessPoints(records: Iterable<AccessPointRecord>): void;
  /** The newest event lines, oldest first. */
  loadRecentEventLines(limit: number): SyslogLine[];
  appendEventLines(lines: readonly SyslogLine[]): void;
  /** Deletes event lines up to and including this id (retention). */
  pruneEventLines(throughId: number): void;
  transaction<T>(change: () => T): T;
}
