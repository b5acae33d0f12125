import type { ApImageCounterKey } from '../apImage';
import type { PredownloadStatus } from '../predownloadStatus';

/**
 * One AP's row as a surface shows it, in the API's terms (the CLI's `0.0.0.0` is no version, its labels
 * are statuses). The next retry is the time itself (the API, the page) or the seconds until it (show ap image).
 */
export interface SurfaceRow {
  name: string;
  primaryImage: string;
  backupImage: string;
  predownloadStatus: PredownloadStatus;
  predownloadVersion: string | null;
  retryCount: number;
  nextRetryTime?: string | null;
  /** As show ap image counts them at the moment it was read; 0 when none. */
  nextRetrySeconds?: number;
  method: string;
}

/** The counters a surface shows: show ap image prints IOS's only, the page and the API all of them. */
export type SurfaceSummary = { totalAps: number; predownloadInProgress: boolean } & Partial<Record<ApImageCounterKey, number>>;

/** What one surface (the page, show ap image, GET /api/ap-image) says of the fleet at one moment: every AP, not a page of them. */
export interface SurfaceView {
  /** How the surface is named in a violation: `show ap image`, `GET /api/ap-image`, `the page`. */
  surface: string;
  /** When it was read (ms since the epoch): what a countdown it shows counts from. */
  readAt: number;
  summary: SurfaceSummary;
  rows: SurfaceRow[];
}
