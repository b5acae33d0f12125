import type { ApImageSummary } from '../apImage';
import type { SurfaceRow, SurfaceView } from './surfaceView';
import { violation, type Violation } from './violation';

const SUMMARY_FIELDS = [
  'totalAps',
  'initiated',
  'downloading',
  'predownloading',
  'completedDownloading',
  'completedPredownloading',
  'notSupported',
  'failedToPredownload',
  'predownloadInProgress',
] as const satisfies readonly (keyof ApImageSummary)[];

const ROW_FIELDS = ['primaryImage', 'backupImage', 'predownloadStatus', 'predownloadVersion', 'retryCount', 'method'] as const satisfies readonly (keyof SurfaceRow)[];

// Two surfaces read a moment apart count a retry's seconds down from different instants.
const RETRY_SECONDS_SLACK = 1;

/** Two surfaces read at the same moment say the same of the fleet: the same counters, the same APs, the same row for each. */
export function surfacesAgree(reference: SurfaceView, other: SurfaceView): Violation[] {
  const found: Violation[] = [];
  const differ = (what: string, a: unknown, b: unknown) =>
    found.push(violation('surfacesAgree', `${what}: ${reference.surface} says ${JSON.stringify(a)}, ${other.surface} says ${JSON.stringify(b)}`));
  for (const field of SUMMARY_FIELDS) {
    if (reference.summary[field] !== other.summary[field]) differ(field, reference.summary[field], other.summary[field]);
  }
  const others = new Map(other.rows.map((row) => [row.name, row]));
  for (const row of reference.rows) {
    const seen = others.get(row.name);
    others.delete(row.name);
    if (!seen) {
      found.push(violation('surfacesAgree', `${row.name}: listed by ${reference.surface}, missing from ${other.surface}`));
      continue;
    }
    for (const field of ROW_FIELDS) {
      if (row[field] !== seen[field]) differ(`${row.name} ${field}`, row[field], seen[field]);
    }
    if (Math.abs(row.nextRetrySeconds - seen.nextRetrySeconds) > RETRY_SECONDS_SLACK) differ(`${row.name} next retry (s)`, row.nextRetrySeconds, seen.nextRetrySeconds);
  }
  for (const name of others.keys()) found.push(violation('surfacesAgree', `${name}: listed by ${other.surface}, missing from ${reference.surface}`));
  return found;
}
