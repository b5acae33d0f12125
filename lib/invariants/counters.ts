import type { ApImageCounterKey } from '../apImage';
import { PREDOWNLOAD_STATUSES, type PredownloadStatus } from '../predownloadStatus';
import { UPGRADE_STAGE_LABEL, type UpgradeStage } from '../upgradeStage';
import type { SurfaceView } from './surfaceView';
import { violation, type Violation } from './violation';

/**
 * The row status each counter counts, as the counters' labels say (show ap image's, then the page's and
 * the API's own). Stated here rather than read from the console's `apImageCounterOf`: the summary is
 * built with that mapping, so holding the counters to it would pass whatever it says. Downloading rows
 * are split between "Downloading" (the controller fetches the image) and "Completed downloading" (the
 * controller holds it, the AP waits for a slot), which a row does not show: the two are held to the
 * Downloading rows together.
 */
export const COUNTER_STATUS: Readonly<Record<ApImageCounterKey, PredownloadStatus>> = {
  initiated: 'Initiated',
  downloading: 'Downloading',
  predownloading: 'Predownloading',
  completedDownloading: 'Downloading',
  completedPredownloading: 'Complete',
  notSupported: 'NotSupported',
  failedToPredownload: 'Failed',
  aborted: 'Aborted',
  reloading: 'Reloading',
  joined: 'Joined',
  none: 'None',
};
export const AP_COUNTERS = Object.keys(COUNTER_STATUS) as ApImageCounterKey[];

/**
 * The counters add up: Total number of APs is the APs listed, the counters of each status (those the
 * surface shows: show ap image prints IOS's only) equal the rows in it, and the counters shown plus the
 * APs in a status with no counter shown make Total number of APs, so no AP is counted twice or left out.
 */
export function countersAddUp({ surface, summary, rows }: SurfaceView): Violation[] {
  const found: Violation[] = [];
  const rowsIn = (status: PredownloadStatus) => rows.filter((row) => row.predownloadStatus === status).length;
  if (rows.length !== summary.totalAps) found.push(violation('countersAddUp', `${surface}: Total number of APs is ${summary.totalAps} but it lists ${rows.length} AP(s)`));
  const shown = AP_COUNTERS.filter((counter) => summary[counter] !== undefined);
  let uncounted = 0;
  for (const status of PREDOWNLOAD_STATUSES) {
    const counters = AP_COUNTERS.filter((counter) => COUNTER_STATUS[counter] === status);
    const shownOf = counters.filter((counter) => shown.includes(counter));
    if (shownOf.length === 0) uncounted += rowsIn(status);
    else if (shownOf.length === counters.length) {
      const value = shownOf.reduce((sum, counter) => sum + (summary[counter] ?? 0), 0);
      if (value !== rowsIn(status)) found.push(violation('countersAddUp', `${surface}: ${shownOf.join(' + ')} is ${value} but ${rowsIn(status)} row(s) are ${status}`));
    }
  }
  const counted = shown.reduce((sum, counter) => sum + (summary[counter] ?? 0), 0);
  if (counted + uncounted !== summary.totalAps) {
    const terms = shown.filter((counter) => (summary[counter] ?? 0) > 0).map((counter) => `${counter} ${summary[counter]}`);
    const rest = uncounted > 0 ? ` plus ${uncounted} AP(s) in a status it shows no counter of` : '';
    found.push(violation('countersAddUp', `${surface}: the counters (${terms.join(' + ') || '0'})${rest} make ${counted + uncounted}, not Total number of APs ${summary.totalAps}`));
  }
  return found;
}

/**
 * The stages a predownload runs in, stated here rather than read from the console's `isCancellable`,
 * which decides what the summary says: a stage missing there would make both say No.
 */
const PREDOWNLOAD_STAGES: ReadonlySet<UpgradeStage> = new Set(['Initiate', 'ControllerImageDownload', 'APImageDownload', 'NetworkUpgrade']);

/** "Predownload in progress" is Yes exactly while the upgrade is at a stage a predownload runs in. */
export function predownloadInProgressIsTrue({ surface, summary }: SurfaceView, stage: UpgradeStage): Violation[] {
  const running = PREDOWNLOAD_STAGES.has(stage);
  if (summary.predownloadInProgress === running) return [];
  return [violation('predownloadInProgress', `${surface}: Predownload in progress is ${summary.predownloadInProgress ? 'Yes' : 'No'} while the upgrade is at ${UPGRADE_STAGE_LABEL[stage]}`)];
}
