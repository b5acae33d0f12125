import type { PredownloadStatus } from '../predownloadStatus';
import type { SyslogLine } from '../syslog';
import { violation, type Violation } from './violation';

export interface RetryRow {
  name: string;
  predownloadStatus: PredownloadStatus;
  retryCount: number;
  nextRetryTime: string | null;
}

// `… AP Name: NAME Mac: … Image Predownload Failed: REASON (retry 2 of 3 at 2026-…Z)`, or `Image Download Failed:` for a download at join
const FAILED = /AP Name: (\S+) Mac: \S+ Image (?:Predownload|Download) Failed: .*?(?: \(retry (\d+) of \d+ at (\S+)\))?$/;

/**
 * A failed AP waiting for its retry: the log's last failure line for it announces that retry, the one
 * the row's Retry Count shows (the count moves with the line that announces the retry), at the Next
 * Retry Time the row shows.
 */
export function retriesAgreeWithLog(rows: readonly RetryRow[], lines: readonly SyslogLine[]): Violation[] {
  const lastFailure = new Map<string, { retry: number | null; at: string | null }>();
  for (const line of lines) {
    const match = FAILED.exec(line.text);
    if (match) lastFailure.set(match[1], { retry: match[2] ? Number(match[2]) : null, at: match[3] ?? null });
  }
  const found: Violation[] = [];
  for (const row of rows) {
    if (row.predownloadStatus !== 'Failed' || !row.nextRetryTime) continue;
    const logged = lastFailure.get(row.name);
    if (!logged) found.push(violation('surfacesAgree', `${row.name}: the row says a retry is due at ${row.nextRetryTime}, but no failure of it is logged`));
    else if (logged.retry !== row.retryCount || logged.at !== row.nextRetryTime) {
      found.push(
        violation(
          'surfacesAgree',
          `${row.name}: the row says Retry Count ${row.retryCount}, next retry at ${row.nextRetryTime}; its last failure line says ${logged.retry === null ? 'no retry' : `retry ${logged.retry} at ${logged.at}`}`,
        ),
      );
    }
  }
  return found;
}
