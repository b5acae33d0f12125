import type { SurfaceRow, SurfaceView } from './surfaceView';
import { AP_COUNTERS } from './counters';
import { violation, type Violation } from './violation';

const SUMMARY_FIELDS = ['totalAps', 'predownloadInProgress', ...AP_COUNTERS] as const;

const ROW_FIELDS = ['primaryImage', 'backupImage', 'predownloadStatus', 'predownloadVersion', 'retryCount', 'method'] as const satisfies readonly (keyof SurfaceRow)[];

// Two surfaces read a moment apart count a retry's seconds down from different instants.
const RETRY_SECONDS_SLACK = 1;

/**
 * Whether the seconds a surface counts down to the next retry are that retry's, by the column's definition
 * (the whole seconds from the moment it was read to the retry's time, 0 when none is due). Worked out here
 * from the time the other surface shows, not with the CLI's own rendering: computed by the same code, a
 * wrong unit or rounding would agree with itself.
 */
function secondsMatchTime(seconds: number, time: string | null | undefined, readAt: number): boolean {
  const exact = time ? Math.max(0, (Date.parse(time) - readAt) / 1000) : 0;
  return Number.isInteger(seconds) && seconds >= 0 && Math.abs(seconds - exact) <= RETRY_SECONDS_SLACK;
}

/** Two surfaces read at the same moment say the same of the fleet: the same counters (those both show), the same APs, the same row for each. */
export function surfacesAgree(reference: SurfaceView, other: SurfaceView): Violation[] {
  const found: Violation[] = [];
  const differ = (what: string, a: unknown, b: unknown) =>
    found.push(violation('surfacesAgree', `${what}: ${reference.surface} says ${JSON.stringify(a)}, ${other.surface} says ${JSON.stringify(b)}`));
  for (const field of SUMMARY_FIELDS) {
    const [a, b] = [reference.summary[field], other.summary[field]];
    if (a !== undefined && b !== undefined && a !== b) differ(field, a, b);
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
    if (row.nextRetryTime !== undefined && seen.nextRetryTime !== undefined) {
      if (row.nextRetryTime !== seen.nextRetryTime) differ(`${row.name} next retry`, row.nextRetryTime, seen.nextRetryTime);
    } else if (row.nextRetryTime !== undefined && seen.nextRetrySeconds !== undefined) {
      if (!secondsMatchTime(seen.nextRetrySeconds, row.nextRetryTime, other.readAt))
        differ(`${row.name} next retry (${other.surface} in seconds, read ${other.readAt - reference.readAt} ms later)`, row.nextRetryTime, seen.nextRetrySeconds);
    }
  }
  for (const name of others.keys()) found.push(violation('surfacesAgree', `${name}: listed by ${other.surface}, missing from ${reference.surface}`));
  return found;
}
