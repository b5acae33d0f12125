import { imagePairText, predownloadVersionText, type ApImageRow } from '@/lib/apImage';
import { PREDOWNLOAD_STATUS_LABEL } from '@/lib/predownloadStatus';
import { Badge } from '@/components/ui/Badge';
import { ProgressBar } from '@/components/ui/ProgressBar';
import { Table, type TableColumn, type TableRowAttributes } from '@/components/ui/Table';
import { cx } from '@/components/ui/cx';
import { ApRowActions } from './ApRowActions';
import { formatDateTimeWithZone } from '@/lib/dateTime';
import { formatEtaPercent, formatRetryTime } from './format';
import { PREDOWNLOAD_TONE } from './predownloadTone';

function progressTone(row: ApImageRow, percent: number): 'info' | 'success' | 'danger' {
  if (row.predownloadStatus === 'Failed') return 'danger';
  return percent >= 100 ? 'success' : 'info';
}

/** `17.9.4.27 / NA` or `17.9.4.27 /17.09.04a.0.6`, the EWC's AP/Controller pair; it may break after the AP's version on a narrow screen. */
function imagePair(apImage: string, controllerImage: string | null) {
  return <span className="ap-image-pair">{imagePairText(apImage, controllerImage)}</span>;
}

// Module-level so the memoised rows see the same columns on every render. The EWC's own columns first, in its
// order and with its titles (AP Name … ETA/Percent Complete(Controller)), then this console's: the version
// being predownloaded and the retry columns of `show ap image`, and the admin's actions.
const COLUMNS: readonly TableColumn<ApImageRow>[] = [
  {
    key: 'name',
    header: 'AP Name',
    render: (row) => (
      <>
        <span className="ap-name">{row.name}</span>
        {!row.connected && <span className="ap-disconnected"> (disconnected)</span>}
        {row.activationExcluded && (
          <span className="ap-excluded" data-testid="ap-excluded">
            {' '}
            (excluded from activation)
          </span>
        )}
        <span className="ap-site-tag" data-testid="ap-site-tag" title="Site tag">
          {row.siteTag}
        </span>
      </>
    ),
  },
  // <wbr /> lets the seed's titles, which have long words, break where a reader would: their text stays the seed's.
  {
    key: 'primaryImage',
    header: (
      <>
        Primary Image (AP/
        <wbr />
        Controller)
      </>
    ),
    className: 'col-image',
    render: (row) => imagePair(row.primaryImage, row.controllerPrimaryImage),
  },
  {
    key: 'backupImage',
    header: (
      <>
        Backup Image (AP/
        <wbr />
        Controller)
      </>
    ),
    className: 'col-image',
    render: (row) => imagePair(row.backupImage, row.controllerBackupImage),
  },
  {
    key: 'predownloadStatus',
    // A soft hyphen lets the long word break in the header, so the column is as narrow as its values.
    header: 'Pre\u00ADdownload Status',
    render: (row) => <Badge tone={PREDOWNLOAD_TONE[row.predownloadStatus]}>{PREDOWNLOAD_STATUS_LABEL[row.predownloadStatus]}</Badge>,
  },
  { key: 'imageType', header: 'AP Image Type', render: (row) => row.imageType },
  { key: 'role', header: 'Role', render: (row) => row.role },
  {
    key: 'percent',
    header: (
      <>
        ETA/
        <wbr />
        Percent Complete
        <wbr />
        (AP)
      </>
    ),
    className: 'col-progress',
    render: (row) =>
      row.queuePosition !== null ? (
        <span className="ap-queued" data-testid="ap-queued">
          Waiting for a slot (#{row.queuePosition})
        </span>
      ) : (
        <ProgressBar value={row.percent} label={`${row.name} AP image`} text={formatEtaPercent(row.etaSeconds, row.percent)} tone={progressTone(row, row.percent)} />
      ),
  },
  {
    key: 'controllerPercent',
    header: (
      <>
        ETA/
        <wbr />
        Percent Complete
        <wbr />
        (Controller)
      </>
    ),
    className: 'col-progress',
    render: (row) => {
      if (!row.hostsController) return 'NA';
      const percent = row.controllerPercent ?? 0;
      return <ProgressBar value={percent} label={`${row.name} controller image`} text={formatEtaPercent(row.controllerEtaSeconds, percent)} tone={progressTone(row, percent)} />;
    },
  },
  { key: 'predownloadVersion', header: 'Pre\u00ADdownload Version', render: (row) => predownloadVersionText(row.predownloadVersion) },
  { key: 'retryCount', header: 'Retry Count', className: 'col-number', render: (row) => row.retryCount },
  {
    key: 'nextRetryTime',
    header: 'Next Retry Time',
    render: (row) => <span title={row.nextRetryTime ? formatDateTimeWithZone(row.nextRetryTime) : undefined}>{formatRetryTime(row.nextRetryTime)}</span>,
  },
  { key: 'method', header: 'Method', render: (row) => row.method },
];

const withActions = (online: boolean): readonly TableColumn<ApImageRow>[] => [...COLUMNS, { key: 'actions', header: 'Actions', render: (row) => <ApRowActions row={row} disabled={!online} /> }];
// Off line the actions stay in place, disabled: the last known state is not something to act on.
const COLUMNS_WITH_ACTIONS = { online: withActions(true), offline: withActions(false) };

/** Why the last attempt failed, on one line under the row: the whole reason stays readable and the row stays one line high. */
function errorLine(row: ApImageRow) {
  if (!row.lastError) return null;
  return (
    <span className="ap-error-line" data-testid="ap-error" title={row.lastError}>
      {row.lastError}
    </span>
  );
}

function rowKey(row: ApImageRow): string {
  return row.mac;
}

function rowAttributes(row: ApImageRow): TableRowAttributes {
  return {
    className: cx('ap-row', !row.connected && 'ap-row-disconnected', row.lastError !== null && 'ap-row-error'),
    title: row.lastError ?? undefined,
    'data-testid': 'ap-row',
    'data-ap-name': row.name,
    'data-status': row.predownloadStatus,
    'data-mac': row.mac,
  };
}

/** `canChange`: an admin gets the per-AP actions column; `online`: the page is live, so they act. */
export function ApImageTable({ aps, filtered, canChange = false, online = true }: { aps: readonly ApImageRow[]; filtered: boolean; canChange?: boolean; online?: boolean }) {
  return (
    <Table
      caption="AP image predownload status"
      columns={canChange ? COLUMNS_WITH_ACTIONS[online ? 'online' : 'offline'] : COLUMNS}
      rows={aps}
      rowKey={rowKey}
      rowAttributes={rowAttributes}
      rowDetail={errorLine}
      className="ap-table"
      empty={filtered ? 'No AP matches the filter' : 'No APs joined'}
    />
  );
}
