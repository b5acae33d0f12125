import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
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

type AuditT = ReturnType<typeof useTranslations<'audit'>>;

// Attempted user names come from strangers: a direction override (U+202E) would make the row read backwards.
// The action and its detail are the server's words, as the export and the CLI write them: they stay English.
function auditColumns(t: AuditT): TableColumn<AuditEntryView>[] {
  return [
    { key: 'time', header: t('time'), render: (entry) => <time dateTime={entry.time}>{formatDateTime(entry.time)}</time> },
    { key: 'username', header: t('user'), render: (entry) => escapeUnsafeText(entry.username) },
    { key: 'sourceAddress', header: t('source'), render: (entry) => entry.sourceAddress },
    { key: 'action', header: t('action'), render: (entry) => <Badge tone={actionTone(entry.action)}>{entry.action}</Badge> },
    { key: 'detail', header: t('detail'), className: 'audit-detail', render: (entry) => escapeUnsafeText(entry.detail) },
  ];
}

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
  const t = useTranslations('audit');
  const common = useTranslations('common');
  const columns = useMemo(() => auditColumns(t), [t]);
  // Newest first: the question is nearly always "what just happened".
  const rows = entries ? [...entries].reverse() : [];
  return <Table caption={t('caption')} columns={columns} rows={rows} rowKey={entryKey} rowAttributes={entryAttributes} empty={entries === null ? t('loading') : common('noEntries')} />;
}
