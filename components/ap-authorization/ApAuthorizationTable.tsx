import { useMemo } from 'react';
import type { ApAuthorizationStatus, ApAuthorizationView } from '@/lib/apAuthorization';
import { Badge, type BadgeTone } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { Table, type TableColumn } from '@/components/ui/Table';
import { formatDateTime } from '@/lib/dateTime';

const STATUS_TONE: Record<ApAuthorizationStatus, BadgeTone> = { pending: 'warning', approved: 'success', revoked: 'danger' };
const STATUS_LABEL: Record<ApAuthorizationStatus, string> = { pending: 'Waiting for approval', approved: 'Approved', revoked: 'Revoked' };

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
  const columns = useMemo<TableColumn<ApAuthorizationView>[]>(
    () => [
      { key: 'mac', header: 'MAC Address', render: (ap) => <code>{ap.mac}</code> },
      { key: 'name', header: 'AP Name', render: (ap) => ap.name ?? '—' },
      { key: 'status', header: 'Status', render: (ap) => <Badge tone={STATUS_TONE[ap.status]}>{STATUS_LABEL[ap.status]}</Badge> },
      { key: 'connected', header: 'Joined', render: (ap) => (ap.connected ? 'Yes' : 'No') },
      {
        key: 'enrolled',
        header: 'Enrolled',
        render: (ap) => (
          <span title={`from ${ap.enrolledFrom}`}>
            {formatDateTime(ap.enrolledAt)} ({ap.enrolledVia === 'join-token' ? 'join token' : 'enrolment token'})
          </span>
        ),
      },
      {
        key: 'certificate',
        header: 'Certificate SHA-256',
        render: (ap) => (
          <code className="cert-fingerprint" title={`valid until ${ap.certExpiresAt}`}>
            {ap.certFingerprint.slice(0, 23)}…
          </code>
        ),
      },
      {
        key: 'actions',
        header: <span className="visually-hidden">Actions</span>,
        className: 'user-actions',
        render: (ap) => (
          <span className="user-buttons">
            {ap.status !== 'approved' && (
              <Button className="btn-small" variant="primary" disabled={blocked} onClick={() => onSetStatus(ap.mac, 'approved')}>
                Approve
              </Button>
            )}
            {ap.status !== 'revoked' && (
              <Button className="btn-small" variant="danger" disabled={blocked} onClick={() => onSetStatus(ap.mac, 'revoked')}>
                Revoke
              </Button>
            )}
            <Button className="btn-small" disabled={blocked} onClick={() => onDelete(ap.mac)}>
              Delete
            </Button>
          </span>
        ),
      },
    ],
    [blocked, onSetStatus, onDelete],
  );
  return <Table caption="AP authorization list" columns={columns} rows={aps} rowKey={apKey} rowAttributes={apRowAttributes} empty="No AP has enrolled yet." />;
}
