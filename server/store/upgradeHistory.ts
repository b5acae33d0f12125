import { describeTargets } from '../../lib/rollout';
import type { UpgradeHistoryDetail, UpgradeHistoryEntry } from '../../lib/upgradeHistory';
import { countUpgradeAps, upgradeResultText } from '../../lib/upgradeOutcome';
import { UPGRADE_ENDS } from '../../lib/upgradeStage';
import type { FleetReader } from '../fleet/fleetProjection';
import type { Db } from './database';
import type { RolloutRepository } from './rolloutRepository';
import type { UpgradeRecord, UpgradeRepository } from './upgradeRepository';

/**
 * Every upgrade kept, with its activation's waves, read from the tables. Its APs' counts are the
 * ones kept when it ended; an upgrade still under way is counted from the fleet's rows as they are.
 */
export class UpgradeHistory {
  private readonly failures;

  constructor(
    db: Db,
    private readonly upgrades: UpgradeRepository,
    private readonly rollouts: RolloutRepository,
    private readonly fleet: FleetReader,
  ) {
    this.failures = db.prepare(`SELECT time, text FROM event_log WHERE time >= ? AND time <= ? AND severity IN ('error', 'warning') ORDER BY id LIMIT 500`);
  }

  list(): UpgradeHistoryEntry[] {
    return this.upgrades.list().map((upgrade) => this.entry(upgrade));
  }

  get(id: number): UpgradeHistoryDetail | null {
    const upgrade = this.upgrades.get(id);
    if (!upgrade) return null;
    const rollout = this.rollouts.get(id);
    const end = upgrade.finishedAt ?? new Date().toISOString();
    return {
      ...this.entry(upgrade),
      errorThresholdPercent: rollout?.errorThresholdPercent ?? null,
      waves: this.rollouts.waves(id),
      failures: this.failures.all(upgrade.startedAt, end) as { time: string; text: string }[],
    };
  }

  private entry(upgrade: UpgradeRecord): UpgradeHistoryEntry {
    const rollout = this.rollouts.get(upgrade.id);
    const waves = rollout ? this.rollouts.waves(upgrade.id) : [];
    const apCounts = UPGRADE_ENDS.has(upgrade.stage) ? upgrade.apCounts : countUpgradeAps(this.fleet.values(), upgrade);
    return {
      id: upgrade.id,
      startedBy: upgrade.startedBy,
      startedVia: upgrade.startedVia,
      stage: upgrade.stage,
      result: upgradeResultText(upgrade.stage, apCounts, upgrade.supersededBy),
      supersededBy: upgrade.supersededBy,
      mode: upgrade.mode,
      imageUrl: upgrade.imageUrl,
      targets: describeTargets(upgrade.targets),
      targetVersion: upgrade.targetVersion,
      targetControllerVersion: upgrade.targetControllerVersion,
      strategy: rollout?.strategy ?? null,
      activatedBy: rollout?.startedBy ?? null,
      startedAt: upgrade.startedAt,
      finishedAt: upgrade.finishedAt,
      durationSeconds: upgrade.finishedAt ? Math.round((Date.parse(upgrade.finishedAt) - Date.parse(upgrade.startedAt)) / 1000) : null,
      message: upgrade.message,
      waveCount: waves.length,
      // Upgrades that ended before their counts were kept: the waves' failures are all that is known.
      failedAps: apCounts?.failed ?? waves.reduce((sum, wave) => sum + wave.failed, 0),
      apCounts,
    };
  }
}
