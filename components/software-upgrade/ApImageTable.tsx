import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
import { imagePairText, predownloadVersionText, resumeWaitOf, type ApImageRow, type ResumeWait } from '@/lib/apImage';
import { waitsForBundleTrust } from '@/lib/bundleApproval';
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

type Translate = ReturnType<typeof useTranslations<'apTable'>>;

/**
 * An image an interrupted transfer left the AP holding in part (a controller restart, a takeover): the bar stands at
 * what the AP holds, and says that it waits to resume there (and its place in line when it waits for a slot); before
 * the AP rejoined, at the last count it acknowledged, said as such.
 */
function resumeWaitingBar(t: Translate, position: number | null, wait: ResumeWait, percent: number, label: string) {
  const shown = Math.round(percent);
  const words = wait === 'rejoin' ? t('resumeRejoin', { percent: shown }) : wait === 'queued' ? t('resumeQueued', { percent: shown, position: position ?? 0 }) : t('resumeWaiting', { percent: shown });
  return (
    <span data-testid="ap-resume-waiting">
      <ProgressBar value={percent} label={label} text={words} />
    </span>
  );
}

/** `17.9.4.27 / NA` or `17.9.4.27 /17.09.04a.0.6`, the EWC's AP/Controller pair; it may break after the AP's version on a narrow screen. */
function imagePair(apImage: string, controllerImage: string | null) {
  return <span className="ap-image-pair">{imagePairText(apImage, controllerImage)}</span>;
}

// <wbr /> lets the seed's titles, which have long words, break where a reader would.
const wbr = () => <wbr />;

// The EWC's own columns first, in its order and with its titles (AP Name … ETA/Percent Complete(Controller)),
// then this console's: the version being predownloaded and the retry columns of `show ap image`, and the
// admin's actions. The status values stay IOS's English words in every language, as the EWC's own page shows them.
function apImageColumns(t: Translate, approvalAsked: boolean): readonly TableColumn<ApImageRow>[] {
  return [
    {
      key: 'name',
      header: t('apName'),
      render: (row) => (
        <>
          <span className="ap-name">{row.name}</span>
          {!row.connected && <span className="ap-disconnected"> {t('disconnected')}</span>}
          {row.activationExcluded && (
            <span className="ap-excluded" data-testid="ap-excluded">
              {' '}
              {t('excluded')}
            </span>
          )}
          <span className="ap-site-tag" data-testid="ap-site-tag" title={t('siteTag')}>
            {row.siteTag}
          </span>
        </>
      ),
    },
    {
      key: 'primaryImage',
      header: t.rich('primaryImage', { wbr }),
      className: 'col-image',
      render: (row) => imagePair(row.primaryImage, row.controllerPrimaryImage),
    },
    {
      key: 'backupImage',
      header: t.rich('backupImage', { wbr }),
      className: 'col-image',
      render: (row) => imagePair(row.backupImage, row.controllerBackupImage),
    },
    {
      key: 'predownloadStatus',
      // A soft hyphen lets the long word break in the header, so the column is as narrow as its values.
      header: t('predownloadStatus'),
      render: (row) => <Badge tone={PREDOWNLOAD_TONE[row.predownloadStatus]}>{PREDOWNLOAD_STATUS_LABEL[row.predownloadStatus]}</Badge>,
    },
    { key: 'imageType', header: t('imageType'), render: (row) => row.imageType },
    { key: 'role', header: t('role'), render: (row) => row.role },
    {
      key: 'percent',
      header: t.rich('percentAp', { wbr }),
      className: 'col-progress',
      render: (row) => {
        const wait = resumeWaitOf(row.queuePosition, row.waitsToResume, row.lastAcknowledged);
        return waitsForBundleTrust(row.predownloadStatus, approvalAsked) ? (
          <span className="ap-queued" data-testid="ap-held">
            {t('heldForTrust')}
          </span>
        ) : wait ? (
          resumeWaitingBar(t, row.queuePosition, wait, row.percent, t('apImageProgress', { name: row.name }))
        ) : row.queuePosition !== null ? (
          <span className="ap-queued" data-testid="ap-queued">
            {t('queued', { position: row.queuePosition })}
          </span>
        ) : (
          <ProgressBar value={row.percent} label={t('apImageProgress', { name: row.name })} text={formatEtaPercent(row.etaSeconds, row.percent)} tone={progressTone(row, row.percent)} />
        );
      },
    },
    {
      key: 'controllerPercent',
      header: t.rich('percentController', { wbr }),
      className: 'col-progress',
      render: (row) => {
        if (!row.hostsController) return 'NA';
        const percent = row.controllerPercent ?? 0;
        const wait = resumeWaitOf(row.controllerQueuePosition, row.controllerWaitsToResume, row.controllerLastAcknowledged);
        if (wait) return resumeWaitingBar(t, row.controllerQueuePosition, wait, percent, t('controllerImageProgress', { name: row.name }));
        if (row.controllerQueuePosition !== null)
          return (
            <span className="ap-queued" data-testid="controller-queued">
              {t('queued', { position: row.controllerQueuePosition })}
            </span>
          );
        return <ProgressBar value={percent} label={t('controllerImageProgress', { name: row.name })} text={formatEtaPercent(row.controllerEtaSeconds, percent)} tone={progressTone(row, percent)} />;
      },
    },
    { key: 'predownloadVersion', header: t('predownloadVersion'), render: (row) => predownloadVersionText(row.predownloadVersion) },
    { key: 'retryCount', header: t('retryCount'), className: 'col-number', render: (row) => row.retryCount },
    {
      key: 'nextRetryTime',
      header: t('nextRetryTime'),
      render: (row) => <span title={row.nextRetryTime ? formatDateTimeWithZone(row.nextRetryTime) : undefined}>{formatRetryTime(row.nextRetryTime)}</span>,
    },
    { key: 'method', header: t('method'), render: (row) => row.method },
  ];
}

/**
 * The columns for this language, the same objects on every render so the memoised rows stay memoised.
 * Off line the actions stay in place, disabled: the last known state is not something to act on.
 */
function useApImageColumns(canChange: boolean, online: boolean, approvalAsked: boolean): readonly TableColumn<ApImageRow>[] {
  const t = useTranslations('apTable');
  const columns = useMemo(() => apImageColumns(t, approvalAsked), [t, approvalAsked]);
  const withActions = useMemo(() => {
    const actions = (enabled: boolean): readonly TableColumn<ApImageRow>[] => [...columns, { key: 'actions', header: t('actions'), render: (row) => <ApRowActions row={row} disabled={!enabled} /> }];
    return { online: actions(true), offline: actions(false) };
  }, [columns, t]);
  return canChange ? withActions[online ? 'online' : 'offline'] : columns;
}

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

/**
 * `canChange`: an admin gets the per-AP actions column; `online`: the page is live, so they act;
 * `approvalAsked`: the run holds its unsigned bundle for an admin's trust, which its rows say.
 */
export function ApImageTable({
  aps,
  filtered,
  canChange = false,
  online = true,
  approvalAsked = false,
}: {
  aps: readonly ApImageRow[];
  filtered: boolean;
  canChange?: boolean;
  online?: boolean;
  approvalAsked?: boolean;
}) {
  const t = useTranslations('apTable');
  const columns = useApImageColumns(canChange, online, approvalAsked);
  return (
    <Table
      caption={t('caption')}
      columns={columns}
      rows={aps}
      rowKey={rowKey}
      rowAttributes={rowAttributes}
      rowDetail={errorLine}
      className="ap-table"
      empty={t(filtered ? 'emptyFiltered' : 'empty')}
    />
  );
}
