import type { ActivationPreview, CancelPreview } from '../../lib/actionPreview';
import { PREDOWNLOAD_ACTIVE } from '../../lib/predownloadStatus';
import type { ActivationOptions } from '../../lib/rollout';
import { activationWaves } from '../../lib/rolloutWaves';
import type { AccessPointRecord } from '../fleet/accessPoint';
import type { UpgradeRecord } from '../store/upgradeRepository';
import { isCancellable } from '../../lib/upgradeStage';
import { activationCandidates } from './rollout';

/** The APs a cancel stops (they end Aborted): a transfer queued or under way. A failed AP stays Failed; only its retry is called off. */
export function stopsOnCancel(ap: Pick<AccessPointRecord, 'predownloadStatus'>): boolean {
  return PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus);
}

/** What Activate with these options would reload now (the latest upgrade's candidates, waved by the activation's own planner). */
export function previewActivation(upgrade: UpgradeRecord | null, fleet: readonly AccessPointRecord[], options: ActivationOptions): ActivationPreview {
  if (!upgrade)
    return {
      upgradeId: null,
      stage: 'Idle',
      targetVersion: null,
      targetControllerVersion: null,
      strategy: options.strategy,
      apCount: 0,
      waves: [],
      controllerApReloads: false,
      controllerHosted: fleet.some((ap) => ap.hostsController),
      excluded: 0,
      notComplete: 0,
    };
  const candidates = activationCandidates(fleet, upgrade.id);
  const waves = activationWaves(candidates, options);
  let excluded = 0;
  let notComplete = 0;
  for (const ap of fleet) {
    if (ap.upgradeId !== upgrade.id) continue;
    if (ap.predownloadStatus === 'Complete') excluded += ap.activationExcluded ? 1 : 0;
    else if (ap.predownloadStatus !== 'Reloading' && ap.predownloadStatus !== 'Joined') notComplete += 1;
  }
  return {
    upgradeId: upgrade.id,
    stage: upgrade.stage,
    targetVersion: upgrade.targetVersion,
    targetControllerVersion: upgrade.targetControllerVersion,
    strategy: options.strategy,
    apCount: candidates.length,
    waves: waves.map((wave) => wave.length),
    controllerApReloads: candidates.some((ap) => ap.hostsController),
    controllerHosted: fleet.some((ap) => ap.hostsController),
    excluded,
    notComplete,
  };
}

/** What Cancel would stop now, and what it leaves; null when no predownload runs. */
export function previewCancel(upgrade: UpgradeRecord | null, fleet: Iterable<AccessPointRecord>): CancelPreview | null {
  if (!upgrade || !isCancellable(upgrade.stage)) return null;
  let stopping = 0;
  let completed = 0;
  for (const ap of fleet) {
    if (ap.upgradeId !== upgrade.id) continue;
    if (stopsOnCancel(ap)) stopping += 1;
    else if (ap.predownloadStatus === 'Complete') completed += 1;
  }
  return { upgradeId: upgrade.id, stage: upgrade.stage, targetVersion: upgrade.targetVersion, stopping, completed };
}
