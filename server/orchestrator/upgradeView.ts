import { upgradeResultSentence, upgradeResultText } from '../../lib/upgradeOutcome';
import { isCancellable, upgradeStateOf, type UpgradeStage, type UpgradeView } from '../../lib/upgradeStage';
import type { UpgradeRecord } from '../store/upgradeRepository';
import type { UpgradeRun } from './upgradeRun';

/** What the view reads besides the upgrade and its run: the activation's part, the schedules, the controller. */
export type UpgradeViewParts = Pick<UpgradeView, 'rollout' | 'strategy' | 'waves' | 'scheduled' | 'controllerVersion'>;

/**
 * The upgrade as the API and the page show it, from the latest upgrade's row and its run; a run that
 * is not that upgrade's, or was cancelled, shows no fetches or deliveries.
 */
export function upgradeView(latest: UpgradeRecord | null, currentRun: UpgradeRun | null, parts: UpgradeViewParts): UpgradeView {
  const stage: UpgradeStage = latest?.stage ?? 'Idle';
  const run = currentRun && currentRun.id === latest?.id && !currentRun.cancelled ? currentRun : null;
  return {
    upgradeId: latest?.id ?? null,
    stage,
    state: upgradeStateOf(stage),
    lastBarStage: latest?.lastBarStage ?? null,
    targetVersion: latest?.targetVersion ?? null,
    controllerVersion: parts.controllerVersion,
    targetControllerVersion: latest?.targetControllerVersion ?? null,
    startedAt: latest?.startedAt ?? null,
    finishedAt: latest?.finishedAt ?? null,
    message: latest?.message ?? null,
    messageSentence: latest?.messageSentence ?? null,
    result: latest ? upgradeResultText(stage, latest.apCounts, latest.supersededBy) : null,
    resultSentence: latest ? upgradeResultSentence(stage, latest.apCounts, latest.supersededBy) : null,
    fetches: run ? [...run.fetches.values()] : [],
    deliveries: run && isCancellable(stage) ? { active: run.deliveries.active, waiting: run.deliveries.waiting, limit: run.deliveries.limit } : null,
    bundleApproval: run && isCancellable(stage) ? (run.hold?.view() ?? null) : null,
    rollout: parts.rollout,
    strategy: parts.strategy,
    waves: parts.waves,
    scheduled: parts.scheduled,
    controllerTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}
