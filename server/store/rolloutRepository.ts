import type { ActivationOptions, RolloutState, RolloutStrategy, WaveState, WaveView } from '../../lib/rollout';
import type { Db } from './database';

export interface RolloutRecord {
  upgradeId: number;
  strategy: RolloutStrategy;
  wavePercent: number | null;
  waveSize: number | null;
  errorThresholdPercent: number;
  windowEnd: string | null;
  state: RolloutState;
  pauseReason: string | null;
  currentWave: number;
  startedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** A wave as stored: what the page shows of it, less the counts read live from the fleet. */
export type WaveRecord = Pick<WaveView, 'index' | 'state' | 'aps' | 'startedAt' | 'finishedAt' | 'failed'>;

interface RolloutRow {
  upgrade_id: number;
  strategy: RolloutStrategy;
  wave_percent: number | null;
  wave_size: number | null;
  error_threshold_percent: number;
  window_end: string | null;
  state: RolloutState;
  pause_reason: string | null;
  current_wave: number;
  started_by: string | null;
  started_at: string;
  finished_at: string | null;
}

interface WaveRow {
  wave_index: number;
  state: WaveState;
  aps: string;
  started_at: string | null;
  finished_at: string | null;
  failed: number;
}

const fromRow = (row: RolloutRow): RolloutRecord => ({
  upgradeId: row.upgrade_id,
  strategy: row.strategy,
  wavePercent: row.wave_percent,
  waveSize: row.wave_size,
  errorThresholdPercent: row.error_threshold_percent,
  windowEnd: row.window_end,
  state: row.state,
  pauseReason: row.pause_reason,
  currentWave: row.current_wave,
  startedBy: row.started_by,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

const waveFromRow = (row: WaveRow): WaveRecord => ({
  index: row.wave_index,
  state: row.state,
  aps: JSON.parse(row.aps) as string[],
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  failed: row.failed,
});

/**
 * The activation of each upgrade and its waves, written through on every change (a few per
 * wave), so the history keeps them and a restart knows which wave came next.
 */
export class RolloutRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO rollout (upgrade_id, strategy, wave_percent, wave_size, error_threshold_percent, window_end, state, started_by, started_at)
         VALUES (@upgradeId, @strategy, @wavePercent, @waveSize, @errorThresholdPercent, @windowEnd, 'running', @startedBy, @startedAt)`,
      ),
      insertWave: db.prepare(`INSERT INTO rollout_wave (upgrade_id, wave_index, state, aps) VALUES (?, ?, 'pending', ?)`),
      get: db.prepare('SELECT * FROM rollout WHERE upgrade_id = ?'),
      waves: db.prepare('SELECT * FROM rollout_wave WHERE upgrade_id = ? ORDER BY wave_index'),
      update: db.prepare(
        `UPDATE rollout SET state = @state, pause_reason = @pauseReason, current_wave = @currentWave, window_end = @windowEnd, finished_at = @finishedAt
         WHERE upgrade_id = @upgradeId`,
      ),
      startWave: db.prepare(`UPDATE rollout_wave SET state = 'reloading', started_at = ? WHERE upgrade_id = ? AND wave_index = ?`),
      finishWave: db.prepare(`UPDATE rollout_wave SET state = 'done', finished_at = ?, failed = ? WHERE upgrade_id = ? AND wave_index = ?`),
    };
  }

  create(upgradeId: number, options: ActivationOptions, waves: string[][], startedBy: string): RolloutRecord {
    this.db.transaction(() => {
      this.statements.insert.run({
        upgradeId,
        strategy: options.strategy,
        wavePercent: options.wavePercent ?? null,
        waveSize: options.waveSize ?? null,
        errorThresholdPercent: options.errorThresholdPercent,
        windowEnd: options.windowEnd ?? null,
        startedBy,
        startedAt: new Date().toISOString(),
      });
      waves.forEach((aps, index) => this.statements.insertWave.run(upgradeId, index, JSON.stringify(aps)));
    })();
    return this.get(upgradeId)!;
  }

  get(upgradeId: number): RolloutRecord | null {
    const row = this.statements.get.get(upgradeId) as RolloutRow | undefined;
    return row ? fromRow(row) : null;
  }

  waves(upgradeId: number): WaveRecord[] {
    return (this.statements.waves.all(upgradeId) as WaveRow[]).map(waveFromRow);
  }

  update(record: RolloutRecord): void {
    const { upgradeId, state, pauseReason, currentWave, windowEnd, finishedAt } = record;
    this.statements.update.run({ upgradeId, state, pauseReason, currentWave, windowEnd, finishedAt });
  }

  startWave(upgradeId: number, index: number): void {
    this.statements.startWave.run(new Date().toISOString(), upgradeId, index);
  }

  finishWave(upgradeId: number, index: number, failed: number): void {
    this.statements.finishWave.run(new Date().toISOString(), failed, upgradeId, index);
  }
}
