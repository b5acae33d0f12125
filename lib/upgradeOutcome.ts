import { z } from 'zod';
import { PREDOWNLOAD_STATUSES, type PredownloadStatus } from './predownloadStatus';
import { englishOf, sentence, sentenceItem, type Sentence, type SentenceCode } from './serverSentences';
import { UPGRADE_STAGE_LABEL, type UpgradeStage } from './upgradeStage';

/** What these rules read of an AP. */
export interface VersionedAp {
  predownloadStatus: PredownloadStatus;
  primaryImage: string;
  /** The upgrade the AP took part in last. */
  upgradeId: number | null;
}

/** Whether the AP runs this version now: the only ground for saying "Completed" or "running X" of it. */
export function runsVersion(ap: Pick<VersionedAp, 'primaryImage'>, version: string | null): boolean {
  return version !== null && ap.primaryImage === version;
}

const count = z.number().int().min(0);

/** The APs of one upgrade by status, how many run its version, and what the others still run. */
export const upgradeApCountsSchema = z.object({
  total: count,
  initiated: count,
  downloading: count,
  predownloading: count,
  complete: count,
  failed: count,
  notSupported: count,
  aborted: count,
  reloading: count,
  joined: count,
  /** APs of the upgrade whose primary image is its target version. */
  runningTarget: count,
  /** The others, grouped by status and the version they run. */
  notRunningTarget: z.array(z.object({ status: z.enum(PREDOWNLOAD_STATUSES), version: z.string(), count })),
});
export type UpgradeApCounts = z.infer<typeof upgradeApCountsSchema>;

type StatusKey = Exclude<keyof UpgradeApCounts, 'total' | 'runningTarget' | 'notRunningTarget'>;
/** Which of apCounts' numbers an AP of the upgrade counts in, by its status. */
export const STATUS_KEY: Readonly<Record<PredownloadStatus, StatusKey | null>> = {
  // An AP of an upgrade is never None: it left None when the upgrade enrolled it.
  None: null,
  Initiated: 'initiated',
  Downloading: 'downloading',
  Predownloading: 'predownloading',
  Complete: 'complete',
  Failed: 'failed',
  NotSupported: 'notSupported',
  Aborted: 'aborted',
  Reloading: 'reloading',
  Joined: 'joined',
};

/** Counts the APs of one upgrade (the rows whose upgrade it is, whatever else the fleet holds) against its target version. */
export function countUpgradeAps(fleet: Iterable<VersionedAp>, upgrade: { id: number; targetVersion: string | null }): UpgradeApCounts {
  const { targetVersion } = upgrade;
  const counts: UpgradeApCounts = {
    total: 0,
    initiated: 0,
    downloading: 0,
    predownloading: 0,
    complete: 0,
    failed: 0,
    notSupported: 0,
    aborted: 0,
    reloading: 0,
    joined: 0,
    runningTarget: 0,
    notRunningTarget: [],
  };
  const others = new Map<string, { status: PredownloadStatus; version: string; count: number }>();
  for (const ap of fleet) {
    if (ap.upgradeId !== upgrade.id) continue;
    counts.total += 1;
    const key = STATUS_KEY[ap.predownloadStatus];
    if (key) counts[key] += 1;
    if (runsVersion(ap, targetVersion)) {
      counts.runningTarget += 1;
      continue;
    }
    const group = `${ap.predownloadStatus}|${ap.primaryImage}`;
    const entry = others.get(group) ?? { status: ap.predownloadStatus, version: ap.primaryImage, count: 0 };
    entry.count += 1;
    others.set(group, entry);
  }
  counts.notRunningTarget = [...others.values()].sort((a, b) => b.count - a.count || a.version.localeCompare(b.version));
  return counts;
}

/** The sentence saying why the others do not run the version, by their status. */
const STILL_RUNS: Partial<Record<PredownloadStatus, SentenceCode>> = {
  NotSupported: 'stillRunsNotSupported',
  Failed: 'stillRunsFailed',
  Complete: 'stillRunsNotActivated',
  Aborted: 'stillRunsAborted',
  Reloading: 'stillRunsReloading',
};

/** "4 of 6 APs run 17.18.1.2; 2 not supported by the release still run 17.12.1.5; controller running …": only APs that run X are said to. */
export function networkCompletedSentence(counts: UpgradeApCounts, targetVersion: string | null, controllerVersion: string): Sentence {
  const others = counts.notRunningTarget.map(({ status, version, count: n }) => sentenceItem(STILL_RUNS[status] ?? 'stillRunsNotPredownloaded', { count: n, version }));
  return sentence('networkCompleted', { running: counts.runningTarget, total: counts.total, version: targetVersion ?? 'the new version', others, controllerVersion });
}

/** How it ended when that says more than the stage's name ("Completed on 4 of 6 APs", "Superseded by upgrade 3"), else null. */
export function upgradeResultSentence(stage: UpgradeStage, counts: UpgradeApCounts | null, supersededBy: number | null): Sentence | null {
  if (stage === 'Superseded' && supersededBy !== null) return sentence('resultSupersededBy', { id: supersededBy });
  if (stage === 'Completed' && counts && counts.runningTarget < counts.total) return sentence('resultCompletedOn', { running: counts.runningTarget, total: counts.total });
  return null;
}

/** The result an engineer reads in the history and the stage panel: "Completed" only when every AP of the upgrade runs its version. */
export function upgradeResultText(stage: UpgradeStage, counts: UpgradeApCounts | null, supersededBy: number | null): string {
  const said = upgradeResultSentence(stage, counts, supersededBy);
  return said ? englishOf(said) : UPGRADE_STAGE_LABEL[stage];
}
