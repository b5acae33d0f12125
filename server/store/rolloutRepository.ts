import type { ActivationOptions, RolloutState, RolloutStrategy, WaveView } from '../../lib/rollout';
import type { Sentence } from '../../lib/serverSentences';
import { fromExcluded, statementRuns } from './rowBatches';
import type { RolloutTable, RolloutWaveTable } from './schema';
import type { Executor } from './store';
import { ChangedRecords, type UnitOfWork } from './unitOfWork';
import { parseSentence } from './upgradeRepository';

export interface RolloutRecord {
  upgradeId: number;
  strategy: RolloutStrategy;
  wavePercent: number | null;
  waveSize: number | null;
  errorThresholdPercent: number;
  windowEnd: string | null;
  state: RolloutState;
  pauseReason: string | null;
  /** The pause reason as one of the server's sentences; null for the admin's own words or a row written before. */
  pauseSentence: Sentence | null;
  currentWave: number;
  startedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** A wave as stored: what the page shows of it, less the counts read live from the fleet. */
export type WaveRecord = Pick<WaveView, 'index' | 'state' | 'aps' | 'startedAt' | 'finishedAt' | 'failed'>;

const fromRow = (row: RolloutTable): RolloutRecord => ({
  upgradeId: row.upgrade_id,
  strategy: row.strategy,
  wavePercent: row.wave_percent,
  waveSize: row.wave_size,
  errorThresholdPercent: row.error_threshold_percent,
  windowEnd: row.window_end,
  state: row.state,
  pauseReason: row.pause_reason,
  pauseSentence: parseSentence(row.pause_sentence),
  currentWave: row.current_wave,
  startedBy: row.started_by,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

const toRow = (record: RolloutRecord): RolloutTable => ({
  upgrade_id: record.upgradeId,
  strategy: record.strategy,
  wave_percent: record.wavePercent,
  wave_size: record.waveSize,
  error_threshold_percent: record.errorThresholdPercent,
  window_end: record.windowEnd,
  state: record.state,
  pause_reason: record.pauseReason,
  pause_sentence: record.pauseSentence ? JSON.stringify(record.pauseSentence) : null,
  current_wave: record.currentWave,
  started_by: record.startedBy,
  started_at: record.startedAt,
  finished_at: record.finishedAt,
});

const waveFromRow = (row: RolloutWaveTable): WaveRecord => ({
  index: row.wave_index,
  state: row.state,
  aps: JSON.parse(row.aps) as string[],
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  failed: row.failed,
});

const waveToRow = (upgradeId: number, wave: WaveRecord): RolloutWaveTable => ({
  upgrade_id: upgradeId,
  wave_index: wave.index,
  state: wave.state,
  aps: JSON.stringify(wave.aps),
  started_at: wave.startedAt,
  finished_at: wave.finishedAt,
  failed: wave.failed,
});

const ROLLOUT_UPDATED = ['state', 'pause_reason', 'pause_sentence', 'current_wave', 'window_end', 'finished_at'] as const satisfies readonly (keyof RolloutTable)[];
const WAVE_UPDATED = ['state', 'started_at', 'finished_at', 'failed'] as const satisfies readonly (keyof RolloutWaveTable)[];

/** The rollout tables, for the history and for the projection's start. */
export const rolloutRows = {
  async find(db: Executor, upgradeId: number): Promise<RolloutRecord | null> {
    const row = await db.selectFrom('rollout').selectAll().where('upgrade_id', '=', upgradeId).executeTakeFirst();
    return row ? fromRow(row) : null;
  },

  async waves(db: Executor, upgradeId: number): Promise<WaveRecord[]> {
    return (await db.selectFrom('rollout_wave').selectAll().where('upgrade_id', '=', upgradeId).orderBy('wave_index').execute()).map(waveFromRow);
  },

  /** The activations of these upgrades, each with its number of waves and their failed APs. */
  async summaries(db: Executor, upgradeIds: readonly number[]): Promise<Map<number, { rollout: RolloutRecord; waveCount: number; failed: number }>> {
    if (upgradeIds.length === 0) return new Map();
    const rollouts = await db.selectFrom('rollout').selectAll().where('upgrade_id', 'in', upgradeIds).execute();
    const waves = await db
      .selectFrom('rollout_wave')
      .select((eb) => ['upgrade_id', eb.fn.countAll<number>().as('waves'), eb.fn.sum<number>('failed').as('failed')])
      .where('upgrade_id', 'in', upgradeIds)
      .groupBy('upgrade_id')
      .execute();
    const byUpgrade = new Map(waves.map((row) => [row.upgrade_id, row]));
    return new Map(
      rollouts.map((row) => {
        const counted = byUpgrade.get(row.upgrade_id);
        return [row.upgrade_id, { rollout: fromRow(row), waveCount: Number(counted?.waves ?? 0), failed: Number(counted?.failed ?? 0) }];
      }),
    );
  },

  async save(db: Executor, rollouts: readonly RolloutRecord[]): Promise<void> {
    for (const run of statementRuns(rollouts.map(toRow), 12)) {
      await db
        .insertInto('rollout')
        .values(run)
        .onConflict((conflict) => conflict.column('upgrade_id').doUpdateSet(fromExcluded(ROLLOUT_UPDATED)))
        .execute();
    }
  },

  async saveWaves(db: Executor, waves: readonly RolloutWaveTable[]): Promise<void> {
    for (const run of statementRuns(waves, 7)) {
      await db
        .insertInto('rollout_wave')
        .values(run)
        .onConflict((conflict) => conflict.columns(['upgrade_id', 'wave_index']).doUpdateSet(fromExcluded(WAVE_UPDATED)))
        .execute();
    }
  },
};

interface HeldRollout {
  record: RolloutRecord;
  waves: WaveRecord[];
}

/**
 * The activation of the current upgrade and its waves, in memory: the orchestrator reads and changes it
 * synchronously (pause, resume, abort and the next wave decide on it), and the unit of work writes every
 * change behind it, so the history keeps it and a restart knows which wave came next.
 */
export class RolloutRepository {
  private readonly held = new Map<number, HeldRollout>();
  private readonly changedRollouts = new ChangedRecords((upgradeId: number) => this.held.get(upgradeId)?.record, rolloutRows.save);
  // Keyed `upgradeId:index`.
  private readonly changedWaves = new ChangedRecords((key: string) => {
    const [upgradeId, index] = key.split(':').map(Number);
    const wave = this.held.get(upgradeId)?.waves[index];
    return wave && waveToRow(upgradeId, wave);
  }, rolloutRows.saveWaves);

  private constructor(
    loaded: HeldRollout | null,
    private readonly store: UnitOfWork,
  ) {
    if (loaded) this.held.set(loaded.record.upgradeId, loaded);
    // A rollout's row before its waves': they point to it.
    store.register(this.changedRollouts);
    store.register(this.changedWaves);
  }

  /** The projection with the activation of the latest upgrade, if it has one. */
  static async load(db: Executor, store: UnitOfWork, latestUpgradeId: number | null): Promise<RolloutRepository> {
    const record = latestUpgradeId === null ? null : await rolloutRows.find(db, latestUpgradeId);
    return new RolloutRepository(record ? { record, waves: await rolloutRows.waves(db, record.upgradeId) } : null, store);
  }

  create(upgradeId: number, options: ActivationOptions, waves: string[][], startedBy: string): RolloutRecord {
    const record: RolloutRecord = {
      upgradeId,
      strategy: options.strategy,
      wavePercent: options.wavePercent ?? null,
      waveSize: options.waveSize ?? null,
      errorThresholdPercent: options.errorThresholdPercent,
      windowEnd: options.windowEnd ?? null,
      state: 'running',
      pauseReason: null,
      pauseSentence: null,
      currentWave: -1,
      startedBy,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    this.held.set(upgradeId, { record, waves: waves.map((aps, index) => ({ index, state: 'pending', aps, startedAt: null, finishedAt: null, failed: 0 })) });
    this.changed(
      upgradeId,
      waves.map((_, index) => index),
    );
    return record;
  }

  get(upgradeId: number): RolloutRecord | null {
    return this.held.get(upgradeId)?.record ?? null;
  }

  waves(upgradeId: number): WaveRecord[] {
    return this.held.get(upgradeId)?.waves ?? [];
  }

  update(record: RolloutRecord): void {
    const held = this.held.get(record.upgradeId);
    if (!held) return;
    const { state, pauseReason, pauseSentence, currentWave, windowEnd, finishedAt } = record;
    held.record = { ...held.record, state, pauseReason, pauseSentence, currentWave, windowEnd, finishedAt };
    this.changed(record.upgradeId, []);
  }

  startWave(upgradeId: number, index: number): void {
    this.changeWave(upgradeId, index, { state: 'reloading', startedAt: new Date().toISOString() });
  }

  finishWave(upgradeId: number, index: number, failed: number): void {
    this.changeWave(upgradeId, index, { state: 'done', finishedAt: new Date().toISOString(), failed });
  }

  private changeWave(upgradeId: number, index: number, change: Partial<WaveRecord>): void {
    const held = this.held.get(upgradeId);
    const wave = held?.waves[index];
    if (!held || !wave) return;
    held.waves = held.waves.map((each) => (each === wave ? { ...wave, ...change } : each));
    this.changed(upgradeId, [index], false);
  }

  private changed(upgradeId: number, waveIndexes: readonly number[], rollout = true): void {
    if (rollout) this.changedRollouts.mark(upgradeId);
    for (const index of waveIndexes) this.changedWaves.mark(`${upgradeId}:${index}`);
    this.store.changed();
  }
}
