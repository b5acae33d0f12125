import { describeTargets } from '../../lib/rollout';
import type { UpgradeHistoryDetail, UpgradeHistoryEntry } from '../../lib/upgradeHistory';
import { countUpgradeAps, upgradeResultSentence, upgradeResultText } from '../../lib/upgradeOutcome';
import { UPGRADE_ENDS } from '../../lib/upgradeStage';
import type { FleetReader } from '../fleet/fleetProjection';
import { eventLogRows } from './eventLog';
import { rolloutRows, type RolloutRecord } from './rolloutRepository';
import type { Executor } from './store';
import type { UnitOfWork } from './unitOfWork';
import { upgradeRows, type UpgradeRecord } from './upgradeRepository';

/** What a history line says of an upgrade's activation. */
interface ActivationSummary {
  rollout: RolloutRecord;
  waveCount: number;
  failed: number;
}

/**
 * Every upgrade kept, with its activation's waves, read from the tables once the unit of work has
 * written what is pending. Its APs' counts are the ones kept when it ended; an upgrade still under way
 * is counted from the fleet's rows as they are.
 */
export class UpgradeHistory {
  constructor(
    private readonly db: Executor,
    private readonly store: UnitOfWork,
    private readonly fleet: FleetReader,
  ) {}

  async list(): Promise<UpgradeHistoryEntry[]> {
    await this.store.flush();
    const upgrades = await upgradeRows.list(this.db);
    const activations = await rolloutRows.summaries(
      this.db,
      upgrades.map((upgrade) => upgrade.id),
    );
    return upgrades.map((upgrade) => this.entry(upgrade, activations.get(upgrade.id) ?? null));
  }

  async get(id: number): Promise<UpgradeHistoryDetail | null> {
    await this.store.flush();
    const upgrade = await upgradeRows.find(this.db, id);
    if (!upgrade) return null;
    const rollout = await rolloutRows.find(this.db, id);
    const waves = rollout ? await rolloutRows.waves(this.db, id) : [];
    const end = upgrade.finishedAt ?? new Date().toISOString();
    const activation = rollout ? { rollout, waveCount: waves.length, failed: waves.reduce((sum, wave) => sum + wave.failed, 0) } : null;
    return {
      ...this.entry(upgrade, activation),
      errorThresholdPercent: rollout?.errorThresholdPercent ?? null,
      waves,
      failures: await eventLogRows.problemsBetween(this.db, upgrade.startedAt, end),
    };
  }

  private entry(upgrade: UpgradeRecord, activation: ActivationSummary | null): UpgradeHistoryEntry {
    const apCounts = UPGRADE_ENDS.has(upgrade.stage) ? upgrade.apCounts : countUpgradeAps(this.fleet.values(), upgrade);
    return {
      id: upgrade.id,
      startedBy: upgrade.startedBy,
      startedVia: upgrade.startedVia,
      stage: upgrade.stage,
      result: upgradeResultText(upgrade.stage, apCounts, upgrade.supersededBy),
      resultSentence: upgradeResultSentence(upgrade.stage, apCounts, upgrade.supersededBy),
      supersededBy: upgrade.supersededBy,
      mode: upgrade.mode,
      imageUrl: upgrade.imageUrl,
      targets: describeTargets(upgrade.targets),
      targetVersion: upgrade.targetVersion,
      targetControllerVersion: upgrade.targetControllerVersion,
      strategy: activation?.rollout.strategy ?? null,
      activatedBy: activation?.rollout.startedBy ?? null,
      startedAt: upgrade.startedAt,
      finishedAt: upgrade.finishedAt,
      durationSeconds: upgrade.finishedAt ? Math.round((Date.parse(upgrade.finishedAt) - Date.parse(upgrade.startedAt)) / 1000) : null,
      message: upgrade.message,
      messageSentence: upgrade.messageSentence,
      waveCount: activation?.waveCount ?? 0,
      // Upgrades that ended before their counts were kept: the waves' failures are all that is known.
      failedAps: apCounts?.failed ?? activation?.failed ?? 0,
      apCounts,
    };
  }
}
