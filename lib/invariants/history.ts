import type { PredownloadStatus } from '../predownloadStatus';
import type { UpgradeHistoryEntry } from '../upgradeHistory';
import { STATUS_KEY } from '../upgradeOutcome';
import { UPGRADE_STAGE_LABEL, type UpgradeStage, type UpgradeView } from '../upgradeStage';
import { violation, type Violation } from './violation';

/** An AP's row with the upgrade it last took part in (the store's `upgrade_id`). */
export interface MemberRow {
  name: string;
  upgradeId: number | null;
  predownloadStatus: PredownloadStatus;
  primaryImage: string;
}

export interface HistoryFacts {
  /** GET /api/upgrades: newest first. */
  entries: readonly UpgradeHistoryEntry[];
  /** GET /api/software-upgrade. */
  upgrade: UpgradeView;
  members: readonly MemberRow[];
  /** Whether `members` holds each AP's upgrade as of now (the store caught up with the rows): the newest upgrade's live counts are held to them only then. */
  membersCurrent: boolean;
  /** For the newest upgrade, if it was cancelled during its predownload: its APs in Failed just before the cancel. */
  failedWhenCancelled: number | null;
  /**
   * The newest upgrade as the check before saw it, if it had ended then. An upgrade's counts are kept when it
   * ends and held to its rows at the first check that sees it ended; from then on they are the record of its
   * end, which must not change, while its APs may move on (one that joins on another release leaves it for a
   * download at join).
   */
  endedBefore?: UpgradeHistoryEntry | null;
  /** APs given a download at join since the newest upgrade ended (some may have been its: they left it). */
  leftSinceEnd?: number;
}

/**
 * The stages an upgrade ends in, stated here rather than read from the console's UPGRADE_ENDS, which
 * decides when an end time and the final counts are kept: a stage missing there would leave both out
 * and this rule, reading the same set, would not see it.
 */
const ENDED: ReadonlySet<UpgradeStage> = new Set(['Completed', 'Cancelled', 'Failed', 'Superseded']);

export function hasEnded(stage: UpgradeStage): boolean {
  return ENDED.has(stage);
}

// An upgrade's counts by status, in apCounts' terms (an AP of an upgrade is never None: enrolling it moved it on).
const STATUS_COUNT = Object.entries(STATUS_KEY).filter((entry): entry is [PredownloadStatus, NonNullable<(typeof STATUS_KEY)[PredownloadStatus]>] => entry[1] !== null);

/** apCounts adds up: its statuses make its total, the APs running the version and the others make it too, and Failed APs is its failed count. */
function countsAddUp(entry: UpgradeHistoryEntry, label: string, say: (message: string) => void): void {
  const counts = entry.apCounts;
  if (!counts) return;
  const byStatus = STATUS_COUNT.reduce((sum, [, key]) => sum + counts[key], 0);
  if (byStatus !== counts.total) say(`${label}: its APs by status make ${byStatus}, its total is ${counts.total}`);
  const others = counts.notRunningTarget.reduce((sum, group) => sum + group.count, 0);
  if (counts.runningTarget + others !== counts.total) say(`${label}: ${counts.runningTarget} AP(s) run its version and ${others} do not, of ${counts.total}`);
  if (entry.failedAps !== counts.failed) say(`${label}: Failed APs is ${entry.failedAps}, its counts say ${counts.failed} failed`);
}

/**
 * The newest upgrade's counts are its rows: counted here from the rows the store holds for it, not with
 * the console's countUpgradeAps (which made the counts). An upgrade that ended keeps its counts as they
 * were then; its rows are held to them at the first check that sees it ended (see `endedBefore`).
 */
function countsAreRows(entry: UpgradeHistoryEntry, own: readonly MemberRow[], say: (message: string) => void, left = 0): void {
  const counts = entry.apCounts;
  if (!counts) return;
  const label = `upgrade ${entry.id}'s counts`;
  // `left` APs may have left it since it ended (for a download at join): each count is its rows' or up to that many more.
  const off = (count: number, rows: number) => count < rows || count > rows + left;
  if (off(counts.total, own.length)) say(`${label}: total ${counts.total}, but ${own.length} AP row(s) are its`);
  for (const [status, key] of STATUS_COUNT) {
    const rows = own.filter((row) => row.predownloadStatus === status).length;
    if (off(counts[key], rows)) say(`${label}: ${key} ${counts[key]}, but ${rows} of its rows are ${status}`);
  }
  const running = own.filter((row) => row.primaryImage === entry.targetVersion).length;
  if (off(counts.runningTarget, running)) say(`${label}: ${counts.runningTarget} run ${entry.targetVersion}, but ${running} of its rows do`);
  for (const group of counts.notRunningTarget) {
    const rows = own.filter((row) => row.predownloadStatus === group.status && row.primaryImage === group.version && row.primaryImage !== entry.targetVersion).length;
    if (off(group.count, rows)) say(`${label}: ${group.count} ${group.status} still run ${group.version}, but ${rows} of its rows do`);
  }
}

/**
 * The history says what happened: an upgrade has an end time exactly when it ended, only the newest may
 * still be under way, a superseded one names the newer upgrade that replaced it, its counts add up, the
 * newest reads as GET /api/software-upgrade does and its counts are its rows, and an ended upgrade's
 * "Failed APs" counts its APs that failed.
 */
export function historyAgrees({ entries, upgrade, members, membersCurrent, failedWhenCancelled, endedBefore = null, leftSinceEnd = 0 }: HistoryFacts): Violation[] {
  const found: Violation[] = [];
  const say = (message: string) => found.push(violation('historyAgrees', message));
  entries.forEach((entry, index) => {
    const label = `Upgrade ${entry.id} (${UPGRADE_STAGE_LABEL[entry.stage]})`;
    if (hasEnded(entry.stage) && !entry.finishedAt) say(`${label} has ended but the history shows no end time`);
    if (!hasEnded(entry.stage) && entry.finishedAt) say(`${label} has not ended but the history shows it ended at ${entry.finishedAt}`);
    if (entry.finishedAt && Date.parse(entry.finishedAt) < Date.parse(entry.startedAt)) say(`${label} ended at ${entry.finishedAt}, before it started at ${entry.startedAt}`);
    if (index > 0 && !hasEnded(entry.stage)) say(`${label} shows no end, although upgrade ${entries[0].id} replaced it`);
    if (entry.stage === 'Superseded' && !entries.slice(0, index).some((newer) => newer.id === entry.supersededBy)) {
      say(`${label} says it was superseded by ${entry.supersededBy === null ? 'no upgrade' : `upgrade ${entry.supersededBy}`}, not by a newer one`);
    }
    countsAddUp(entry, label, say);
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
    ['result', newest.result, upgrade.result],
  ];
  for (const [what, history, api] of pairs) {
    if (history !== api) say(`upgrade ${newest.id} ${what}: the history says ${JSON.stringify(history)}, GET /api/software-upgrade says ${JSON.stringify(api)}`);
  }
  const own = members.filter((row) => row.upgradeId === newest.id);
  if (endedBefore?.id === newest.id && hasEnded(newest.stage)) {
    for (const what of ['stage', 'finishedAt', 'apCounts', 'failedAps', 'message', 'result'] as const) {
      const [then, now] = [JSON.stringify(endedBefore[what]), JSON.stringify(newest[what])];
      if (then !== now) say(`upgrade ${newest.id} ended, and its ${what} changed since: ${then}, now ${now}`);
    }
    return found;
  }
  const left = hasEnded(newest.stage) ? leftSinceEnd : 0;
  if (membersCurrent) countsAreRows(newest, own, say, left);
  if (!hasEnded(newest.stage)) return found;
  const failedNow = own.filter((row) => row.predownloadStatus === 'Failed').length;
  const stillReloading = own.some((row) => row.predownloadStatus === 'Reloading');
  const expected = newest.stage === 'Cancelled' && failedWhenCancelled !== null ? failedWhenCancelled : stillReloading ? null : failedNow;
  if (expected !== null && (newest.failedAps < expected || newest.failedAps > expected + left)) {
    const why = newest.stage === 'Cancelled' && failedWhenCancelled !== null ? 'had failed when it was cancelled' : 'show Failed';
    say(`upgrade ${newest.id} ended ${UPGRADE_STAGE_LABEL[newest.stage]} with Failed APs ${newest.failedAps}, but ${expected} of its AP rows ${why}`);
  }
  return found;
}
