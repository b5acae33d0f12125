import type { ApImageSummary } from '../apImage';
import type { PredownloadStatus } from '../predownloadStatus';

/** One AP's row as a surface shows it, in the API's terms (the CLI's `0.0.0.0` is no version, its labels are statuses). */
export interface SurfaceRow {
  name: string;
  primaryImage: string;
  backupImage: string;
  predownloadStatus: PredownloadStatus;
  predownloadVersion: string | null;
  retryCount: number;
  /** Seconds until the next retry at the moment the surface was read, as show ap image counts them; 0 when none. */
  nextRetrySeconds: number;
  method: string;
}

/** What one surface (the page, show ap image, GET /api/ap-image) says of the fleet at one moment: every AP, not a page of them. */
export interface SurfaceView {
  /** How the surface is named in a violation: `show ap image`, `GET /api/ap-image`, `the page`. */
  surface: string;
  summary: ApImageSummary;
  rows: SurfaceRow[];
}

/** IOS shows the seconds until the next retry, 0 when none is scheduled. */
export function secondsUntil(nextRetryTime: string | null, now: number): number {
  if (!nextRetryTime) return 0;
  return Math.max(0, Math.ceil((Date.parse(nextRetryTime) - now) / 1000));
}
