import type { PredownloadStatus } from '../predownloadStatus';
import type { UpgradeHistoryEntry } from '../upgradeHistory';
import { UPGRADE_STAGE_LABEL, UPGRADE_TERMINAL, type UpgradeStage, type UpgradeView } from '../upgradeStage';
import { violation, type Violation } from './violation';

/** An AP's row with the upgrade it last took part in (the store's `upgrade_id`). */
export interface MemberRow {
  name: string;
  upgradeId: number | null;
  predownloadStatus: PredownloadStatus;
  primaryImage: string;
  activationExcluded: boolean;
}

export interface HistoryFacts {
  /** GET /api/upgrades: newest first. */
  entries: readonly UpgradeHistoryEntry[];
  /** GET /api/software-upgrade. */
  upgrade: UpgradeView;
  members: readonly MemberRow[];
  /** For the newest upgrade, if it was cancelled during its predownload: its APs in Failed just before the cancel. */
  failedWhenCancelled: number | null;
}

export function hasEnded(stage: UpgradeStage): boolean {
  return UPGRADE_TERMINAL.has(stage) && stage !== 'Idle';
}

/**
 * The history says what happened: an upgrade has an end time exactly when it ended, only the newest may
 * still be under way, the newest reads as GET /api/software-upgrade does, and an ended upgrade's
 * "Failed APs" counts its APs that failed.
 */
export function historyAgrees({ entries, upgrade, members, failedWhenCancelled }: HistoryFacts): Violation[] {
  const found: Violation[] = [];
  const say = (message: string) => found.push(violation('historyAgrees', message));
  entries.forEach((entry, index) => {
    const label = `Upgrade ${entry.id} (${UPGRADE_STAGE_LABEL[entry.stage]})`;
    if (hasEnded(entry.stage) && !entry.finishedAt) say(`${label} has ended but the history shows no end time`);
    if (!hasEnded(entry.stage) && entry.finishedAt) say(`${label} has not ended but the history shows it ended at ${entry.finishedAt}`);
    if (entry.finishedAt && Date.parse(entry.finishedAt) < Date.parse(entry.startedAt)) say(`${label} ended at ${entry.finishedAt}, before it started at ${entry.startedAt}`);
    if (index > 0 && !hasEnded(entry.stage)) say(`${label} shows no end, although upgrade ${entries[0].id} replaced it`);
  });
  const newest = entries[0];
  if (!newest) {
    if (upgrade.upgradeId !== null) say(`GET /api/software-upgrade shows upgrade ${upgrade.upgradeId}, the history shows none`);
    return found;
  }
  if (newest.id !== upgrade.upgradeId) say(`the history's newest upgrade is ${newest.id}, GET /api/software-upgrade shows ${upgrade.upgradeId}`);
  const pairs: [string, unknown, unknown][] = [
    ['stage', newest.stage, upgrade.stage],
    ['end time', newest.finishedAt, upgrade.finishedAt],
    ['target version', newest.targetVersion, upgrade.targetVersion],
    ['message', newest.message, upgrade.message],
  ];
  for (const [what, history, api] of pairs) {
    if (history !== api) say(`upgrade ${newest.id} ${what}: the history says ${JSON.stringify(history)}, GET /api/software-upgrade says ${JSON.stringify(api)}`);
  }
  if (!hasEnded(newest.stage)) return found;
  const own = members.filter((row) => row.upgradeId === newest.id);
  const failedNow = own.filter((row) => row.predownloadStatus === 'Failed').length;
  const stillReloading = own.some((row) => row.predownloadStatus === 'Reloading');
  const expected = newest.stage === 'Cancelled' && failedWhenCancelled !== null ? failedWhenCancelled : stillReloading ? null : failedNow;
  if (expected !== null && newest.failedAps !== expected) {
    const why = newest.stage === 'Cancelled' && failedWhenCancelled !== null ? 'had failed when it was cancelled' : 'show Failed';
    say(`upgrade ${newest.id} ended ${UPGRADE_STAGE_LABEL[newest.stage]} with Failed APs ${newest.failedAps}, but ${expected} of its AP rows ${why}`);
  }
  return found;
}
