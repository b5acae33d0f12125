import { spreadsheetSafeWords } from '../../../lib/validations/safeText';
import { auditRows, type AuditRow } from '../../store/auditRepository';
import type { Executor } from '../../store/store';
import { plainAddress } from '../../../lib/netAddress';

export const AUDIT_ACTIONS = [
  'login',
  'login.failed',
  'login.locked',
  'logout',
  'profile.save',
  'upgrade.download',
  'upgrade.activate',
  'upgrade.cancel',
  'upgrade.pause',
  'upgrade.resume',
  'upgrade.abort',
  'upgrade.schedule',
  'upgrade.schedule.change',
  'upgrade.schedule.cancel',
  'upgrade.schedule.run',
  'ap.retry',
  'ap.abort',
  'ap.exclude',
  'ap.include',
  'user.create',
  'user.remove',
  'user.password',
  'user.role',
  'user.sshKey.add',
  'user.sshKey.remove',
  'cli.hostname',
  'logging.change',
  'ap.approve',
  'ap.revoke',
  'ap.delete',
  'ap.token.create',
  'ap.token.delete',
  'image.trust',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  username: string;
  sourceAddress: string;
  action: AuditAction;
  detail?: string;
}

/** The audit line of a change someone asked for: their name and address, what they did. Every use case audits through this. */
export function auditedBy(actor: { username: string; sourceAddress: string }, action: AuditAction, detail: string): AuditRecord {
  return { username: actor.username, sourceAddress: actor.sourceAddress, action, detail };
}

export interface AuditEntry {
  id: number;
  time: string;
  username: string;
  sourceAddress: string;
  action: AuditAction;
  detail: string;
}

// Field values can come from attackers (attempted user names): without this a newline would forge a line in the export.
function clean(value: string, max: number): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, max);
}

function cleanAddress(address: string): string {
  return clean(plainAddress(address), 64) || 'unknown';
}

function toEntry(row: AuditRow): AuditEntry {
  // Written only through `record`, with one of the actions.
  return { id: row.id, time: row.time, username: row.username, sourceAddress: row.source_address, action: row.action as AuditAction, detail: row.detail };
}

/**
 * One export line: `time user@address action detail`. User names come from strangers (failed logins):
 * invisible line breaks and direction marks are shown as `\uXXXX`, and a word that a spreadsheet
 * would run as a formula (`=HYPERLINK(…)`, `+…`, `-…`, `@…`) starts with an apostrophe.
 */
export function formatAuditEntry(entry: AuditEntry): string {
  const line = `${entry.time} ${spreadsheetSafeWords(entry.username)}@${spreadsheetSafeWords(entry.sourceAddress)} ${entry.action}`;
  return entry.detail ? `${line} ${spreadsheetSafeWords(entry.detail)}` : line;
}

/** Who did what to the console and from where; kept apart from the controller's event log, which APs also write to. */
export class AuditLog {
  constructor(
    private readonly db: Executor,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes one entry; `db` may be the transaction of the change it records. */
  async record(record: AuditRecord, db: Executor = this.db): Promise<AuditEntry> {
    return toEntry(await auditRows.insert(db, this.rowOf(record)));
  }

  /** The row an entry is written as, its time taken now (the write-behind stages it to write later). */
  rowOf({ username, sourceAddress, action, detail = '' }: AuditRecord): Omit<AuditRow, 'id'> {
    return {
      time: new Date(this.now()).toISOString(),
      username: clean(username, 64) || '-',
      source_address: cleanAddress(sourceAddress),
      action,
      detail: clean(detail, 2000),
    };
  }

  /** The most recent entries, oldest first. */
  async recent(limit = 200): Promise<AuditEntry[]> {
    return (await auditRows.recent(this.db, limit)).map(toEntry);
  }

  /** The whole trail as text, oldest first, one line per entry, for download. */
  async exportText(): Promise<string> {
    return (await auditRows.all(this.db)).map((row) => `${formatAuditEntry(toEntry(row))}\n`).join('');
  }
}
