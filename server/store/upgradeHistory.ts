import { describeTargets } from '../../lib/rollout';
import type { UpgradeHistoryDetail, UpgradeHistoryEntry } from '../../lib/upgradeHistory';
import { countUpgradeAps, upgradeResultSentence, upgradeResultText } from '../../lib/upgradeOutcome';
import { UPGRADE_ENDS } from '../../lib/upgradeStage';
import type { FleetReader } from '../fleet/fleetProjection';
import { eventLogRows } from './eventLog';
import { rolloutRows, type RolloutRecord } from './rolloutRepository';
import type { Executor } from './store';
import type { UnitOfWork } from './unitOfWork';
import { upgradeRows, type UpgradeRecord, type UpgradeRepository } from './upgradeRepository';

/** What a history line says of an upgrade's activation. */
interface ActivationSummary {
  rollout: RolloutRecord;
  waveCount: number;
  failed: number;
}

/** The upgrades this process holds in memory: their records there are newer than the table's rows. */
export type HeldUpgrades = Pick<UpgradeRepository, 'get' | 'latest'>;

/**
 * Every upgrade kept, with its activation's waves, read from the tables once the unit of work has
 * written what is pending. Its APs' counts are the ones kept when it ended; an upgrade still under way
 * is counted from the fleet's rows as they are. An upgrade this process holds is described from its
 * record in memory, not from its row: the reads await the database (real I/O on PostgreSQL), the run
 * moves on meanwhile, and its stage and result must be of the same moment as the counts beside them.
 */
export class UpgradeHistory {
  constructor(
    private readonly db: Executor,
    private readonly store: UnitOfWork,
    private readonly fleet: FleetReader,
    private readonly held: HeldUpgrades,
  ) {}

  async list(): Promise<UpgradeHistoryEntry[]> {
    await this.store.flush();
    const rows = await upgradeRows.list(this.db);
    // One created while the rows were read is not among them yet; the newest comes first.
    const latest = this.held.latest();
    const upgrades = (latest && !rows.some((row) => row.id === latest.id) && latest.id > (rows[0]?.id ?? 0) ? [latest, ...rows] : rows).map((row) => this.held.get(row.id) ?? row);
    const activations = await rolloutRows.summaries(
      this.db,
      upgrades.map((upgrade) => upgrade.id),
    );
    return upgrades.map((upgrade) => this.entry(upgrade, activations.get(upgrade.id) ?? null));
  }

  async get(id: number): Promise<UpgradeHistoryDetail | null> {
    await this.store.flush();
    const found = await upgradeRows.find(this.db, id);
    if (!found) return null;
    const rollout = await rolloutRows.find(this.db, id);
    const waves = rollout ? await rolloutRows.waves(this.db, id) : [];
    const end = (this.held.get(id) ?? found).finishedAt ?? new Date().toISOString();
    const failures = await eventLogRows.problemsBetween(this.db, found.startedAt, end);
    const activation = rollout ? { rollout, waveCount: waves.length, failed: waves.reduce((sum, wave) => sum + wave.failed, 0) } : null;
    // After the last await: the record and the counts of one moment.
    return {
      ...this.entry(this.held.get(id) ?? found, activation),
      errorThresholdPercent: rollout?.errorThresholdPercent ?? null,
      waves,
      failures,
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
