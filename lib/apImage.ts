import type { PredownloadStatus } from './predownloadStatus';

/**
 * The Role column of the EWC's AP table is the efficient AP image upgrade's: per AP model (image
 * type), one Master AP downloads the image from the image server and up to three Slave APs at a time
 * copy it from that Master. This console has no AP-to-AP copy: the controller fetches each image once
 * and sends it to every AP over CAPWAP, so no AP is either; the column says NA, as the EWC does for a
 * value that does not apply.
 */
export const AP_IMAGE_ROLE = 'NA';

/** One row of `show ap image`, with the Web UI's extra columns. */
export interface ApImageRow {
  name: string;
  mac: string;
  model: string;
  imageType: string;
  role: string;
  primaryImage: string;
  backupImage: string;
  backupImageSha256: string | null;
  predownloadStatus: PredownloadStatus;
  predownloadVersion: string | null;
  /** Percent of the AP image the AP acknowledged, 0-100. */
  percent: number;
  etaSeconds: number | null;
  /** For the AP that hosts the controller: the controller image, else null (NA). */
  controllerPercent: number | null;
  controllerEtaSeconds: number | null;
  retryCount: number;
  /** ISO time of the next retry, or null. */
  nextRetryTime: string | null;
  method: string;
  hostsController: boolean;
  connected: boolean;
  /** Why the last attempt failed, in syslog words, or null. */
  lastError: string | null;
  /** Place in the line of APs waiting for a delivery slot (1 is next), or null when not waiting. */
  queuePosition: number | null;
  siteTag: string;
  /** Kept out of the activation by the administrator. */
  activationExcluded: boolean;
}

export interface ApImageSummary {
  totalAps: number;
  initiated: number;
  downloading: number;
  predownloading: number;
  completedDownloading: number;
  completedPredownloading: number;
  notSupported: number;
  failedToPredownload: number;
  predownloadInProgress: boolean;
}

export interface ApImageReport {
  /** Counters for the whole fleet, whatever the filter. */
  summary: ApImageSummary;
  /** The APs of the query's page (every AP without a limit). */
  aps: ApImageRow[];
  /** How many APs match the query's filter. */
  total: number;
}
