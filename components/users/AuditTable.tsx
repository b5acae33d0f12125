import { Badge, type BadgeTone } from '@/components/ui/Badge';
import { Table, type TableColumn } from '@/components/ui/Table';
import { escapeUnsafeText } from '@/lib/validations/safeText';
import { formatDateTime } from '@/lib/dateTime';
import type { AuditEntryView } from './usersApi';

// Failed and locked logins are what an administrator scans the trail for.
function actionTone(action: string): BadgeTone {
  if (action === 'login.failed' || action === 'login.locked') return 'danger';
  if (action.startsWith('user.')) return 'warning';
  if (action.startsWith('upgrade.') || action === 'profile.save') return 'info';
  return 'neutral';
}

// Attempted user names come from strangers: a direction override (U+202E) would make the row read backwards.
const COLUMNS: TableColumn<AuditEntryView>[] = [
  { key: 'time', header: 'Time', render: (entry) => <time dateTime={entry.time}>{formatDateTime(entry.time)}</time> },
  { key: 'username', header: 'User', render: (entry) => escapeUnsafeText(entry.username) },
  { key: 'sourceAddress', header: 'Source', render: (entry) => entry.sourceAddress },
  { key: 'action', header: 'Action', render: (entry) => <Badge tone={actionTone(entry.action)}>{entry.action}</Badge> },
  { key: 'detail', header: 'Detail', className: 'audit-detail', render: (entry) => escapeUnsafeText(entry.detail) },
];

function entryKey(entry: AuditEntryView): string {
  return String(entry.id);
}

function entryAttributes(entry: AuditEntryView) {
  return { 'data-testid': 'audit-row', 'data-action': entry.action };
}

export interface AuditTableProps {
  /** Oldest first, as the API sends them. */
  entries: readonly AuditEntryView[] | null;
}

export function AuditTable({ entries }: AuditTableProps) {
  // Newest first: the question is nearly always "what just happened".
  const rows = entries ? [...entries].reverse() : [];
  return <Table caption="Audit trail, newest first" columns={COLUMNS} rows={rows} rowKey={entryKey} rowAttributes={entryAttributes} empty={entries === null ? 'Loading audit trail…' : 'No entries'} />;
}
