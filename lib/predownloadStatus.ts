import { labelsOf } from './labels';

/**
 * Per-AP predownload status, in the words of `show ap image`, plus the two
 * activation states. This is the only definition; the store, the orchestrator,
 * the API and the page all import it.
 */
export const PREDOWNLOAD_STATUSES = ['None', 'Initiated', 'Downloading', 'Predownloading', 'Complete', 'Failed', 'NotSupported', 'Aborted', 'Reloading', 'Joined'] as const;
export type PredownloadStatus = (typeof PREDOWNLOAD_STATUSES)[number];

export const PREDOWNLOAD_STATUS_LABEL = labelsOf(PREDOWNLOAD_STATUSES, { NotSupported: 'Not Supported' });

export const PREDOWNLOAD_TRANSITIONS: Record<PredownloadStatus, readonly PredownloadStatus[]> = {
  None: ['Initiated', 'NotSupported'],
  Initiated: ['Downloading', 'Predownloading', 'Failed', 'Aborted', 'NotSupported'],
  // NotSupported: the image source turned out to have no image for this AP's type (a catalog release without it).
  // Reloading: a download at join ends with the AP booting the image it received.
  Downloading: ['Predownloading', 'Failed', 'Aborted', 'NotSupported', 'Reloading'],
  // Downloading: a controller restarted (or a node that took over) has no transfer under way; the AP waits for its delivery to restart.
  Predownloading: ['Complete', 'Failed', 'Aborted', 'Downloading'],
  // Failed goes back to Initiated when its retry time comes.
  Failed: ['Initiated', 'Aborted', 'NotSupported'],
  Complete: ['Reloading', 'Initiated', 'NotSupported', 'Aborted'],
  NotSupported: ['Initiated'],
  Aborted: ['Initiated', 'NotSupported'],
  Reloading: ['Joined', 'Failed'],
  Joined: ['Initiated', 'NotSupported'],
};

/** States in which an AP's predownload has ended, one way or another. */
export const PREDOWNLOAD_TERMINAL: ReadonlySet<PredownloadStatus> = new Set(['Complete', 'Failed', 'NotSupported', 'Aborted', 'Joined']);
/** A new predownload may start from any state in which no transfer is under way. */
export const PREDOWNLOAD_RESTARTABLE: ReadonlySet<PredownloadStatus> = new Set(['None', ...PREDOWNLOAD_TERMINAL]);
/** States in which a transfer to the AP is queued or under way. */
export const PREDOWNLOAD_ACTIVE: ReadonlySet<PredownloadStatus> = new Set(['Initiated', 'Downloading', 'Predownloading']);

export function canTransition(from: PredownloadStatus, to: PredownloadStatus): boolean {
  if (to === 'Initiated' && PREDOWNLOAD_RESTARTABLE.has(from)) return true;
  return PREDOWNLOAD_TRANSITIONS[from].includes(to);
}

export interface RetryPolicy {
  maxRetries: number;
  /** The first retry's delay; each further one doubles it. */
  baseDelayMs: number;
}

export interface PlannedRetry {
  /** The retry's number, shown as Retry Count from the moment it is scheduled, as the log line says it. */
  retryCount: number;
  nextRetryTime: string;
  delayMs: number;
}

/** A failed AP's next retry, or null when it is not retried (not retryable, or its retries are used up). */
export function planRetry(retryCount: number, retryable: boolean, policy: RetryPolicy, now: number): PlannedRetry | null {
  if (!retryable || retryCount >= policy.maxRetries) return null;
  const delayMs = policy.baseDelayMs * 2 ** retryCount;
  return { retryCount: retryCount + 1, nextRetryTime: new Date(now + delayMs).toISOString(), delayMs };
}

/** The log line's ` (retry 1 of 3 at T)`: the same number and time the AP's row shows. */
export function retryNote(retry: PlannedRetry | null, policy: RetryPolicy): string {
  return retry ? ` (retry ${retry.retryCount} of ${policy.maxRetries} at ${retry.nextRetryTime})` : '';
}

/**
 * The Retry Count once an administrator made a failed AP retry now (a predownload's or a download at join's).
 * A retry that was waiting is the one made now: the row counts it already, as its failure line announced it.
 * With none waiting (its retries used up, or a failure that is not retried) the retry made now is one more.
 */
export function retryNowCount(retryCount: number, retryWaiting: boolean): number {
  return retryWaiting ? retryCount : retryCount + 1;
}
