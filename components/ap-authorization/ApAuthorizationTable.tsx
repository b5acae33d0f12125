import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
import type { ApAuthorizationStatus, ApAuthorizationView } from '@/lib/apAuthorization';
import { Badge, type BadgeTone } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { Table, type TableColumn } from '@/components/ui/Table';
import { formatDateTime } from '@/lib/dateTime';

const STATUS_TONE: Record<ApAuthorizationStatus, BadgeTone> = { pending: 'warning', approved: 'success', revoked: 'danger' };
const STATUS_LABEL = { pending: 'statusPending', approved: 'statusApproved', revoked: 'statusRevoked' } as const satisfies Record<ApAuthorizationStatus, string>;

const apKey = (ap: ApAuthorizationView) => ap.mac;
const apRowAttributes = (ap: ApAuthorizationView) => ({ 'data-testid': 'ap-authorization-row', 'data-mac': ap.mac, 'data-status': ap.status });

export interface ApAuthorizationTableProps {
  aps: readonly ApAuthorizationView[];
  blocked: boolean;
  onSetStatus: (mac: string, status: 'approved' | 'revoked') => void;
  onDelete: (mac: string) => void;
}

/** The AP authorization list: every enrolled AP, its certificate, and approve / revoke / delete. */
export function ApAuthorizationTable({ aps, blocked, onSetStatus, onDelete }: ApAuthorizationTableProps) {
  const t = useTranslations('apAuthorization');
  const columns = useMemo<TableColumn<ApAuthorizationView>[]>(
    () => [
      { key: 'mac', header: t('mac'), render: (ap) => <code>{ap.mac}</code> },
      { key: 'name', header: t('apName'), render: (ap) => ap.name ?? '—' },
      { key: 'status', header: t('status'), render: (ap) => <Badge tone={STATUS_TONE[ap.status]}>{t(STATUS_LABEL[ap.status])}</Badge> },
      { key: 'connected', header: t('joined'), render: (ap) => (ap.connected ? t('yes') : t('no')) },
      {
        key: 'enrolled',
        header: t('enrolled'),
        render: (ap) => (
          <span title={t('enrolledFrom', { address: ap.enrolledFrom })}>
            {t('enrolledAt', { time: formatDateTime(ap.enrolledAt), via: ap.enrolledVia === 'join-token' ? 'joinToken' : 'enrolmentToken' })}
          </span>
        ),
      },
      {
        key: 'certificate',
        header: t('certificate'),
        render: (ap) => (
          <code className="cert-fingerprint" title={t('validUntil', { time: formatDateTime(ap.certExpiresAt) })}>
            {ap.certFingerprint.slice(0, 23)}…
          </code>
        ),
      },
      {
        key: 'actions',
        header: <span className="visually-hidden">{t('actions')}</span>,
        className: 'user-actions',
        render: (ap) => (
          <span className="user-buttons">
            {ap.status !== 'approved' && (
              <Button className="btn-small" variant="primary" disabled={blocked} onClick={() => onSetStatus(ap.mac, 'approved')}>
                {t('approve')}
              </Button>
            )}
            {ap.status !== 'revoked' && (
              <Button className="btn-small" variant="danger" disabled={blocked} onClick={() => onSetStatus(ap.mac, 'revoked')}>
                {t('revoke')}
              </Button>
            )}
            <Button className="btn-small" disabled={blocked} onClick={() => onDelete(ap.mac)}>
              {t('delete')}
            </Button>
          </span>
        ),
      },
    ],
    [t, blocked, onSetStatus, onDelete],
  );
  return <Table caption={t('caption')} columns={columns} rows={aps} rowKey={apKey} rowAttributes={apRowAttributes} empty={t('empty')} />;
}
