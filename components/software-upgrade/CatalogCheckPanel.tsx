import { useFormatter, useTranslations } from 'next-intl';
import { formatMegabytes } from './format';
import type { CatalogCheckResult } from '@/lib/firmwareCatalog';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Table, type TableColumn } from '@/components/ui/Table';
import { formatDateTimeWithZone } from '@/lib/dateTime';
import type { CatalogCheckApi } from './useCatalogCheck';
import { useServerSentence } from '@/components/ui/useServerSentence';

type ImageTypeRow = CatalogCheckResult['imageTypes'][number];
type Release = ImageTypeRow['latest'];

/** The release the profile's choice downloads for one image type. */
function chosenRelease(row: ImageTypeRow, choice: string): Release {
  return choice === 'latest' ? row.latest : choice === 'recommended' ? row.recommended : ([row.latest, row.recommended].find((r) => r?.version === choice) ?? null);
}

export interface CatalogCheckPanelProps {
  checks: CatalogCheckApi;
  /** The form's release choice, for the download size column. */
  releaseChoice: string;
  canCheck: boolean;
  /** Puts the fingerprint of a certificate that failed verification into the form, to be saved. */
  onTrustCertificate: (fingerprint: string) => void;
}

/** Check for New Version: per image type in the fleet, what runs and what the catalog offers. */
export function CatalogCheckPanel({ checks, releaseChoice, canCheck, onTrustCertificate }: CatalogCheckPanelProps) {
  const t = useTranslations('catalogCheck');
  const format = useFormatter();
  const say = useServerSentence();
  const release = (r: Release) => (r ? `${r.version} (${formatMegabytes(format, r.size)})` : t('none'));
  const downloadSize = (row: ImageTypeRow, choice: string) => {
    const chosen = chosenRelease(row, choice);
    return chosen ? formatMegabytes(format, chosen.size) : '—';
  };
  const { result } = checks;
  const columns: TableColumn<ImageTypeRow>[] = [
    { key: 'imageType', header: t('imageType'), render: (r) => r.imageType },
    { key: 'apCount', header: t('aps'), render: (r) => r.apCount },
    { key: 'models', header: t('models'), render: (r) => r.models.join(', ') },
    { key: 'runningVersion', header: t('runningVersion'), render: (r) => r.runningVersion },
    { key: 'latest', header: t('latest'), render: (r) => release(r.latest) },
    { key: 'recommended', header: t('recommended'), render: (r) => release(r.recommended) },
    { key: 'downloadSize', header: t('downloadSize'), render: (r) => downloadSize(r, releaseChoice) },
    { key: 'note', header: t('status'), render: (r) => (r.note === null ? t('newVersion') : say(r.noteSentence, r.note)) },
  ];
  return (
    <div className="catalog-check" data-testid="catalog-check">
      <div className="catalog-check-bar">
        <Button className="btn-small" disabled={!canCheck || checks.checking} busy={checks.checking} onClick={checks.check}>
          {t('check')}
        </Button>
        <span data-testid="catalog-checked-at">{t('lastCheck', { time: result?.checkedAt ? formatDateTimeWithZone(result.checkedAt) : t('never') })}</span>
      </div>
      {result && (
        <p className={result.ok ? 'catalog-check-message' : 'catalog-check-message field-error'} data-testid="catalog-check-message">
          {say(result.messageSentence, result.message)}
        </p>
      )}
      {result?.fleetChanged && (
        <Alert tone="info" data-testid="catalog-fleet-changed">
          {say(result.fleetChangedSentence, result.fleetChanged)}
        </Alert>
      )}
      {checks.error && <Alert tone="danger">{checks.error}</Alert>}
      {result?.certificate && (
        <Alert tone="warning" data-testid="catalog-certificate">
          {t('certificate', { url: result.catalogUrl, ...result.certificate })}{' '}
          <Button className="btn-small" disabled={!canCheck} onClick={() => onTrustCertificate(result.certificate!.fingerprint)}>
            {t('trustCertificate')}
          </Button>
        </Alert>
      )}
      {result && result.imageTypes.length > 0 && (
        <Table
          caption={t('caption')}
          columns={columns}
          rows={result.imageTypes}
          rowKey={(r) => r.imageType}
          rowAttributes={(r) => ({ 'data-testid': 'catalog-row', 'data-image-type': r.imageType })}
        />
      )}
    </div>
  );
}
