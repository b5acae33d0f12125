import { spreadsheetSafeWords } from '../../lib/validations/safeText';
import type { Db } from '../store/database';
import { plainAddress } from '../../lib/netAddress';

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

export interface AuditEntry {
  id: number;
  time: string;
  username: string;
  sourceAddress: string;
  action: AuditAction;
  detail: string;
}

interface AuditRow {
  id: number;
  time: string;
  username: string;
  source_address: string;
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
  return { id: row.id, time: row.time, username: row.username, sourceAddress: row.source_address, action: row.action, detail: row.detail };
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
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  record({ username, sourceAddress, action, detail = '' }: AuditRecord): AuditEntry {
    const row = {
      time: new Date(this.now()).toISOString(),
      username: clean(username, 64) || '-',
      source_address: cleanAddress(sourceAddress),
      action,
      detail: clean(detail, 2000),
    };
    const info = this.db.prepare('INSERT INTO audit_log (time, username, source_address, action, detail) VALUES (@time, @username, @source_address, @action, @detail)').run(row);
    return toEntry({ id: Number(info.lastInsertRowid), ...row });
  }

  /** The most recent entries, oldest first. */
  recent(limit = 200): AuditEntry[] {
    const rows = this.db.prepare('SELECT id, time, username, source_address, action, detail FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as AuditRow[];
    return rows.reverse().map(toEntry);
  }

  /** The whole trail as text, oldest first, one line per entry, for download. */
  exportText(): string {
    const rows = this.db.prepare('SELECT id, time, username, source_address, action, detail FROM audit_log ORDER BY id').all() as AuditRow[];
    return rows.map((row) => `${formatAuditEntry(toEntry(row))}\n`).join('');
  }
}
