import type { ApImageSummary } from '../apImage';
import { PREDOWNLOAD_STATUSES, type PredownloadStatus } from '../predownloadStatus';
import { isCancellable, UPGRADE_STAGE_LABEL, type UpgradeStage } from '../upgradeStage';
import type { SurfaceView } from './surfaceView';
import { violation, type Violation } from './violation';

/** The counters of show ap image's "Number of APs", in its order. */
export const AP_COUNTERS = [
  'initiated',
  'downloading',
  'predownloading',
  'completedDownloading',
  'completedPredownloading',
  'notSupported',
  'failedToPredownload',
] as const satisfies readonly (keyof ApImageSummary)[];
export type ApCounter = (typeof AP_COUNTERS)[number];

/**
 * The status each counter counts, row by row. "Completed downloading" names no row status of its own:
 * it is held to the sum only, so an AP it counts cannot be counted by another counter too.
 */
export const COUNTER_STATUS: Readonly<Partial<Record<ApCounter, PredownloadStatus>>> = {
  initiated: 'Initiated',
  downloading: 'Downloading',
  predownloading: 'Predownloading',
  completedPredownloading: 'Complete',
  notSupported: 'NotSupported',
  failedToPredownload: 'Failed',
};

/** Statuses no counter counts (an AP that never predownloaded, aborted, reloading or joined again). */
export const UNCOUNTED_STATUSES: readonly PredownloadStatus[] = PREDOWNLOAD_STATUSES.filter((status) => !Object.values(COUNTER_STATUS).includes(status));

/**
 * The counters add up: every AP is counted by one counter at most, the counters plus the APs in an
 * uncounted status make Total number of APs, and each counter with a status equals its rows.
 */
export function countersAddUp({ surface, summary, rows }: SurfaceView): Violation[] {
  const found: Violation[] = [];
  const rowsIn = (status: PredownloadStatus) => rows.filter((row) => row.predownloadStatus === status).length;
  if (rows.length !== summary.totalAps) found.push(violation('countersAddUp', `${surface}: Total number of APs is ${summary.totalAps} but it lists ${rows.length} AP(s)`));
  for (const counter of AP_COUNTERS) {
    const status = COUNTER_STATUS[counter];
    if (status && summary[counter] !== rowsIn(status)) {
      found.push(violation('countersAddUp', `${surface}: ${counter} is ${summary[counter]} but ${rowsIn(status)} row(s) are ${status}`));
    }
  }
  const counted = AP_COUNTERS.reduce((sum, counter) => sum + summary[counter], 0);
  const uncounted = UNCOUNTED_STATUSES.reduce((sum, status) => sum + rowsIn(status), 0);
  if (counted + uncounted !== summary.totalAps) {
    const terms = AP_COUNTERS.filter((counter) => summary[counter] > 0).map((counter) => `${counter} ${summary[counter]}`);
    found.push(
      violation('countersAddUp', `${surface}: the counters (${terms.join(' + ') || '0'}) plus ${uncounted} AP(s) in ${UNCOUNTED_STATUSES.join('/')} make ${counted + uncounted}, not Total number of APs ${summary.totalAps}`),
    );
  }
  return found;
}

/** "Predownload in progress" is Yes exactly while the upgrade is at a stage a predownload runs in. */
export function predownloadInProgressIsTrue({ surface, summary }: SurfaceView, stage: UpgradeStage): Violation[] {
  const running = isCancellable(stage);
  if (summary.predownloadInProgress === running) return [];
  return [violation('predownloadInProgress', `${surface}: Predownload in progress is ${summary.predownloadInProgress ? 'Yes' : 'No'} while the upgrade is at ${UPGRADE_STAGE_LABEL[stage]}`)];
}
