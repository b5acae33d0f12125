import type { CatalogCheckResult } from '@/lib/firmwareCatalog';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Table, type TableColumn } from '@/components/ui/Table';
import { formatDateTimeWithZone } from '@/lib/dateTime';
import type { CatalogCheckApi } from './useCatalogCheck';

type ImageTypeRow = CatalogCheckResult['imageTypes'][number];
type Release = ImageTypeRow['latest'];

const MB = 1_000_000;
const release = (r: Release) => (r ? `${r.version} (${(r.size / MB).toFixed(1)} MB)` : 'None');

/** The download the profile's release choice makes for one image type. */
function downloadSize(row: ImageTypeRow, choice: string): string {
  const chosen = choice === 'latest' ? row.latest : choice === 'recommended' ? row.recommended : ([row.latest, row.recommended].find((r) => r?.version === choice) ?? null);
  return chosen ? `${(chosen.size / MB).toFixed(1)} MB` : '—';
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
  const { result } = checks;
  const columns: TableColumn<ImageTypeRow>[] = [
    { key: 'imageType', header: 'Image Type', render: (r) => r.imageType },
    { key: 'apCount', header: 'APs', render: (r) => r.apCount },
    { key: 'models', header: 'Models', render: (r) => r.models.join(', ') },
    { key: 'runningVersion', header: 'Running Version', render: (r) => r.runningVersion },
    { key: 'latest', header: 'Latest', render: (r) => release(r.latest) },
    { key: 'recommended', header: 'Recommended', render: (r) => release(r.recommended) },
    { key: 'downloadSize', header: 'Download Size', render: (r) => downloadSize(r, releaseChoice) },
    { key: 'note', header: 'Status', render: (r) => r.note ?? 'New version available' },
  ];
  return (
    <div className="catalog-check" data-testid="catalog-check">
      <div className="catalog-check-bar">
        <Button className="btn-small" disabled={!canCheck || checks.checking} busy={checks.checking} onClick={checks.check}>
          Check for New Version
        </Button>
        <span data-testid="catalog-checked-at">Last check: {result?.checkedAt ? formatDateTimeWithZone(result.checkedAt) : 'never'}</span>
      </div>
      {result && (
        <p className={result.ok ? 'catalog-check-message' : 'catalog-check-message field-error'} data-testid="catalog-check-message">
          {result.message}
        </p>
      )}
      {result?.fleetChanged && (
        <Alert tone="info" data-testid="catalog-fleet-changed">
          {result.fleetChanged}
        </Alert>
      )}
      {checks.error && <Alert tone="danger">{checks.error}</Alert>}
      {result?.certificate && (
        <Alert tone="warning" data-testid="catalog-certificate">
          Certificate of {result.catalogUrl}: {result.certificate.subject}, issued by {result.certificate.issuer}, SHA-256 fingerprint {result.certificate.fingerprint}.{' '}
          <Button className="btn-small" disabled={!canCheck} onClick={() => onTrustCertificate(result.certificate!.fingerprint)}>
            Trust this certificate
          </Button>
        </Alert>
      )}
      {result && result.imageTypes.length > 0 && (
        <Table
          caption="Releases per image type"
          columns={columns}
          rows={result.imageTypes}
          rowKey={(r) => r.imageType}
          rowAttributes={(r) => ({ 'data-testid': 'catalog-row', 'data-image-type': r.imageType })}
        />
      )}
    </div>
  );
}
