import { PREDOWNLOAD_ACTIVE, type PredownloadStatus } from './predownloadStatus';

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
  summary: ApImageSummary;
  aps: ApImageRow[];
}

/**
 * The counters of `show ap image`. "Completed downloading" counts APs whose
 * image the controller holds for them (fetched from the image server) while
 * their predownload has not finished yet.
 */
export function summarizeApImages(aps: readonly ApImageRow[], imageFetchedFor: (ap: ApImageRow) => boolean = () => false): ApImageSummary {
  const count = (status: PredownloadStatus) => aps.filter((ap) => ap.predownloadStatus === status).length;
  return {
    totalAps: aps.length,
    initiated: count('Initiated'),
    downloading: count('Downloading'),
    predownloading: count('Predownloading'),
    completedDownloading: aps.filter((ap) => ap.predownloadStatus === 'Predownloading' && imageFetchedFor(ap)).length,
    completedPredownloading: count('Complete'),
    notSupported: count('NotSupported'),
    failedToPredownload: count('Failed'),
    predownloadInProgress: aps.some((ap) => PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus)),
  };
}
