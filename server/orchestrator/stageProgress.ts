import { PREDOWNLOAD_ACTIVE, type PredownloadStatus } from '../../lib/predownloadStatus';
import { sentence, type Sentence } from '../../lib/serverSentences';
import { UPGRADE_BAR_STAGES, type UpgradeStage } from '../../lib/upgradeStage';

/** What the bar's position depends on besides the APs' counts: the run's files and retries. */
export interface RunProgress {
  /** An AP of the run still waits for the controller image. */
  controllerImagePending: boolean;
  /** A bundle file is not fetched yet, or the bundle waits for an admin's trust. */
  filesPending: boolean;
  /** Failed APs whose retry is planned: the predownload is not over while one waits. */
  retriesWaiting: number;
}

/** Where a predownload goes next: on along the bar, to its end (with the history's words), or nowhere. */
export type StageStep = { to: UpgradeStage; message?: Sentence } | null;

/**
 * The predownload's stage as a pure function of the fleet projection's counters of its APs (per
 * predownload status) and of the run: the bar only moves forward, and the predownload ends when no
 * AP has anything left to do and no retry waits.
 */
export function nextPredownloadStage(current: UpgradeStage, count: (status: PredownloadStatus) => number, run: RunProgress, targetVersion: string | null): StageStep {
  const active = [...PREDOWNLOAD_ACTIVE].reduce((sum, status) => sum + count(status), 0);
  if (active === 0 && run.retriesWaiting === 0) return predownloadEnd(count, targetVersion);
  let target: UpgradeStage;
  if (run.controllerImagePending) target = 'ControllerImageDownload';
  // A bundle held for an admin's trust has its files but delivers none: the bar stays at the first delivery.
  else if (run.filesPending) target = 'APImageDownload';
  else target = 'NetworkUpgrade';
  return UPGRADE_BAR_STAGES.indexOf(target as never) > UPGRADE_BAR_STAGES.indexOf(current as never) ? { to: target } : null;
}

function predownloadEnd(count: (status: PredownloadStatus) => number, targetVersion: string | null): StageStep {
  const complete = count('Complete');
  const failed = count('Failed');
  const participants = complete + failed + count('NotSupported') + count('Aborted');
  if (complete > 0 && failed === 0) return { to: 'Activate', message: sentence('predownloadComplete', { version: String(targetVersion), count: complete }) };
  if (participants === 0) return { to: 'Failed', message: sentence('noApConnected') };
  return { to: 'Failed', message: failed > 0 ? sentence('predownloadFailedAps', { failed }) : sentence('noApSupportsBundle') };
}
