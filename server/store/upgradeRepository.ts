import { canTransitionStage, UPGRADE_BAR_STAGES, type UpgradeBarStage, type UpgradeStage } from '../../lib/upgradeStage';
import type { ImageDownloadMode } from '../../lib/imageDownloadProfile';
import type { Db } from './database';

export interface UpgradeRecord {
  id: number;
  stage: UpgradeStage;
  lastBarStage: UpgradeBarStage | null;
  mode: ImageDownloadMode;
  imageUrl: string;
  parallelMode: boolean;
  targetVersion: string | null;
  targetControllerVersion: string | null;
  startedAt: string;
  finishedAt: string | null;
  message: string | null;
}

interface UpgradeRow {
  id: number;
  stage: UpgradeStage;
  last_bar_stage: UpgradeBarStage | null;
  mode: ImageDownloadMode;
  image_url: string;
  parallel_mode: number;
  target_version: string | null;
  target_controller_version: string | null;
  started_at: string;
  finished_at: string | null;
  message: string | null;
}

function fromRow(row: UpgradeRow): UpgradeRecord {
  return {
    id: row.id,
    stage: row.stage,
    lastBarStage: row.last_bar_stage,
    mode: row.mode,
    imageUrl: row.image_url,
    parallelMode: row.parallel_mode === 1,
    targetVersion: row.target_version,
    targetControllerVersion: row.target_controller_version,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    message: row.message,
  };
}

const ENDS: UpgradeStage[] = ['Completed', 'Cancelled', 'Failed'];

export class UpgradeRepository {
  constructor(private readonly db: Db) {}

  latest(): UpgradeRecord | null {
    const row = this.db.prepare('SELECT * FROM upgrade ORDER BY id DESC LIMIT 1').get() as UpgradeRow | undefined;
    return row ? fromRow(row) : null;
  }

  create(input: { mode: ImageDownloadMode; imageUrl: string; parallelMode: boolean; message: string }): UpgradeRecord {
    const info = this.db
      .prepare(`INSERT INTO upgrade (stage, last_bar_stage, mode, image_url, parallel_mode, started_at, message) VALUES ('Initiate', 'Initiate', ?, ?, ?, ?, ?)`)
      .run(input.mode, input.imageUrl, input.parallelMode ? 1 : 0, new Date().toISOString(), input.message);
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): UpgradeRecord | null {
    const row = this.db.prepare('SELECT * FROM upgrade WHERE id = ?').get(id) as UpgradeRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Compare-and-set on the stage; returns null when another actor moved it first. */
  transition(id: number, from: UpgradeStage, to: UpgradeStage, message?: string): UpgradeRecord | null {
    if (!canTransitionStage(from, to)) throw new Error(`upgrade ${id}: ${from} -> ${to} is not an upgrade transition`);
    const barStage = (UPGRADE_BAR_STAGES as readonly string[]).includes(to) ? to : null;
    const info = this.db
      .prepare(
        `UPDATE upgrade SET stage = @to, last_bar_stage = COALESCE(@barStage, last_bar_stage),
           finished_at = CASE WHEN @ends THEN @now ELSE finished_at END, message = COALESCE(@message, message)
         WHERE id = @id AND stage = @from`,
      )
      .run({ id, from, to, barStage, ends: ENDS.includes(to) ? 1 : 0, now: new Date().toISOString(), message: message ?? null });
    return info.changes === 1 ? this.get(id) : null;
  }

  setTargets(id: number, targetVersion: string | null, targetControllerVersion: string | null): void {
    this.db.prepare('UPDATE upgrade SET target_version = ?, target_controller_version = ? WHERE id = ?').run(targetVersion, targetControllerVersion, id);
  }

  setMessage(id: number, message: string): void {
    this.db.prepare('UPDATE upgrade SET message = ? WHERE id = ?').run(message, id);
  }
}
