import { PREDOWNLOAD_STATUSES, type PredownloadStatus } from './predownloadStatus';

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
  /** The controller software the AP holds (the AP that hosts the controller), primary and backup; null on the others. */
  controllerPrimaryImage: string | null;
  controllerBackupImage: string | null;
  predownloadStatus: PredownloadStatus;
  predownloadVersion: string | null;
  /** Percent of the AP image the AP acknowledged (or, while `waitsToResume`, said it holds), 0-100. */
  percent: number;
  etaSeconds: number | null;
  /**
   * The AP holds `percent` of the AP image from a transfer that a controller restart (or another node's takeover)
   * interrupted, and its delivery has not restarted yet: it waits for the image, a delivery slot or its turn.
   */
  waitsToResume: boolean;
  /**
   * With `waitsToResume`: `percent` is not what the AP said it holds but the last count it acknowledged before the
   * restart or takeover, as the console kept it (every few percent); the AP has not rejoined since. Never live progress.
   */
  lastAcknowledged: boolean;
  /** For the AP that hosts the controller: the controller image, else null (NA). */
  controllerPercent: number | null;
  controllerEtaSeconds: number | null;
  /** `waitsToResume` of the controller image (false on the APs that do not host the controller). */
  controllerWaitsToResume: boolean;
  /** `lastAcknowledged` of the controller image. */
  controllerLastAcknowledged: boolean;
  retryCount: number;
  /** ISO time of the next retry, or null. */
  nextRetryTime: string | null;
  method: string;
  hostsController: boolean;
  connected: boolean;
  /** Why the last attempt failed, in syslog words, or null. */
  lastError: string | null;
  /** The AP image's place in the line of images waiting for a delivery slot (1 is next), or null when it is not waiting. */
  queuePosition: number | null;
  /**
   * The controller image's place in that line, for the AP that hosts the controller (else null). Its two images have a
   * place each: in parallel mode one may flow while the other waits for a slot, and each column says its own.
   */
  controllerQueuePosition: number | null;
  /** The site tag the AP belongs to: a rolling activation never reloads every AP of one at once. */
  siteTag: string;
  /** Set by the administrator: the AP sits out the activation (it keeps its predownloaded image). */
  activationExcluded: boolean;
}

/** What a transfer that waits to resume says of itself (the page's words for each are in `apTable`'s messages). */
export type ResumeWait = 'rejoin' | 'queued' | 'waiting';

/**
 * How the bar of an interrupted transfer that has not restarted reads, null for any other: waiting for the AP to
 * rejoin (its percent the last count it acknowledged, kept by the console), for a delivery slot, or for its turn
 * (its percent what the AP said it holds).
 */
export function resumeWaitOf(queuePosition: number | null, waitsToResume: boolean, lastAcknowledged: boolean): ResumeWait | null {
  if (!waitsToResume) return null;
  if (lastAcknowledged) return 'rejoin';
  return queuePosition !== null ? 'queued' : 'waiting';
}

/**
 * The status counters, in `show ap image`'s order, then the ones IOS does not print. Each AP is
 * in exactly one of them, so they add up to *Total number of APs*.
 */
export const AP_IMAGE_COUNTERS = [
  { key: 'initiated', label: 'Initiated', ios: true },
  { key: 'downloading', label: 'Downloading', ios: true },
  { key: 'predownloading', label: 'Predownloading', ios: true },
  { key: 'completedDownloading', label: 'Completed downloading', ios: true },
  { key: 'completedPredownloading', label: 'Completed predownloading', ios: true },
  { key: 'notSupported', label: 'Not Supported', ios: true },
  { key: 'failedToPredownload', label: 'Failed to Predownload', ios: true },
  { key: 'aborted', label: 'Aborted', ios: false },
  { key: 'reloading', label: 'Reloading', ios: false },
  { key: 'joined', label: 'Joined', ios: false },
  { key: 'none', label: 'None', ios: false },
] as const;
export type ApImageCounterKey = (typeof AP_IMAGE_COUNTERS)[number]['key'];

export type ApImageSummary = { totalAps: number; predownloadInProgress: boolean } & Record<ApImageCounterKey, number>;

/**
 * The counter an AP is counted in. A Downloading AP is "Downloading" while the controller
 * fetches its image from the image server, and "Completed downloading" once the controller
 * holds it and the AP waits for a delivery slot; Predownloading is the AP receiving it.
 */
export function apImageCounterOf(status: PredownloadStatus, imageOnController: boolean): ApImageCounterKey {
  switch (status) {
    case 'Downloading':
      return imageOnController ? 'completedDownloading' : 'downloading';
    case 'Initiated':
      return 'initiated';
    case 'Predownloading':
      return 'predownloading';
    case 'Complete':
      return 'completedPredownloading';
    case 'NotSupported':
      return 'notSupported';
    case 'Failed':
      return 'failedToPredownload';
    case 'Aborted':
      return 'aborted';
    case 'Reloading':
      return 'reloading';
    case 'Joined':
      return 'joined';
    case 'None':
      return 'none';
  }
}

/** What the summary is made of: counts by status, how many Downloading APs have their image on the controller, and whether a predownload runs. */
export interface ApImageCounts {
  totalAps: number;
  count: (status: PredownloadStatus) => number;
  downloadingWithImage: number;
  /** The upgrade is in a predownload stage (Initiate to Network Upgrade), whatever its APs are doing at this moment. */
  predownloadRunning: boolean;
}

/** The summary of `show ap image`, the page's counters and `GET /api/ap-image`: one rule for all three. */
export function summarizeApImage({ totalAps, count, downloadingWithImage, predownloadRunning }: ApImageCounts): ApImageSummary {
  const summary = { totalAps, predownloadInProgress: predownloadRunning } as ApImageSummary;
  for (const { key } of AP_IMAGE_COUNTERS) summary[key] = 0;
  for (const status of PREDOWNLOAD_STATUSES) {
    if (status !== 'Downloading') summary[apImageCounterOf(status, false)] += count(status);
  }
  summary.completedDownloading = downloadingWithImage;
  summary.downloading = count('Downloading') - downloadingWithImage;
  return summary;
}

/** The sum of the status counters: equal to `totalAps` when they partition the fleet. */
export function countedAps(summary: ApImageSummary): number {
  return AP_IMAGE_COUNTERS.reduce((sum, { key }) => sum + summary[key], 0);
}

/** IOS prints an AP without a predownload version as `0.0.0.0`; the page and the CLI both show it so. */
export const NO_PREDOWNLOAD_VERSION = '0.0.0.0';

export function predownloadVersionText(version: string | null): string {
  return version ?? NO_PREDOWNLOAD_VERSION;
}

/**
 * The Web UI's `Primary Image (AP/Controller)` and `Backup Image (AP/Controller)` cells, spaced as the
 * EWC writes them: `17.9.4.27 / NA` on an AP without controller software, `17.9.4.27 /17.09.04a.0.6`
 * on the AP that hosts the controller.
 */
export function imagePairText(apImage: string, controllerImage: string | null): string {
  return controllerImage ? `${apImage} /${controllerImage}` : `${apImage} / NA`;
}

export interface ApImageReport {
  /** Counters for the whole fleet, whatever the filter. */
  summary: ApImageSummary;
  /** The APs of the query's page (every AP without a limit). */
  aps: ApImageRow[];
  /** How many APs match the query's filter. */
  total: number;
}
