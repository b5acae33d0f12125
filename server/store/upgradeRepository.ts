import { upgradeApCountsSchema, type UpgradeApCounts } from '../../lib/upgradeOutcome';
import { canTransitionStage, UPGRADE_BAR_STAGES, UPGRADE_ENDS, type UpgradeBarStage, type UpgradeStage } from '../../lib/upgradeStage';
import type { ImageDownloadMode } from '../../lib/imageDownloadProfile';
import type { PredownloadTargets } from '../../lib/rollout';
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
  /** Who started it, and how: page, api, cli or schedule. */
  startedBy: string | null;
  startedVia: string | null;
  targets: PredownloadTargets | null;
  /** Its APs as they ended (written with its last stage change); null while it runs, and for upgrades that ended before they were kept. */
  apCounts: UpgradeApCounts | null;
  /** The upgrade that replaced it while it waited at Activate. */
  supersededBy: number | null;
}

/** What an upgrade's last stage change records beside the stage. */
export interface UpgradeEnding {
  apCounts?: UpgradeApCounts;
  supersededBy?: number;
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
  started_by: string | null;
  started_via: string | null;
  targets: string | null;
  ap_counts: string | null;
  superseded_by: number | null;
}

/** Written only by this repository; a value that no longer parses reads as unknown rather than failing the history. */
function parseCounts(json: string | null): UpgradeApCounts | null {
  if (!json) return null;
  const parsed = upgradeApCountsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
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
    startedBy: row.started_by,
    startedVia: row.started_via,
    // Written only by this repository from a parsed request.
    targets: row.targets ? (JSON.parse(row.targets) as PredownloadTargets) : null,
    apCounts: parseCounts(row.ap_counts),
    supersededBy: row.superseded_by,
  };
}

/** Who started an upgrade and through what. */
export interface UpgradeOrigin {
  username: string;
  via: 'page' | 'api' | 'cli' | 'schedule';
}

/**
 * Upgrades, one row each. Statements are prepared once and the latest upgrade is kept in
 * memory, since the orchestrator reads it on every stage check.
 */
export class UpgradeRepository {
  private latestRecord: UpgradeRecord | null;
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      latest: db.prepare('SELECT * FROM upgrade ORDER BY id DESC LIMIT 1'),
      get: db.prepare('SELECT * FROM upgrade WHERE id = ?'),
      create: db.prepare(
        `INSERT INTO upgrade (stage, last_bar_stage, mode, image_url, parallel_mode, started_at, message, started_by, started_via, targets)
         VALUES ('Initiate', 'Initiate', ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      list: db.prepare('SELECT * FROM upgrade ORDER BY id DESC LIMIT ?'),
      transition: db.prepare(
        `UPDATE upgrade SET stage = @to, last_bar_stage = COALESCE(@barStage, last_bar_stage),
           finished_at = CASE WHEN @ends THEN @now ELSE finished_at END, message = COALESCE(@message, message),
           ap_counts = COALESCE(@apCounts, ap_counts), superseded_by = COALESCE(@supersededBy, superseded_by)
         WHERE id = @id AND stage = @from`,
      ),
      setTargets: db.prepare('UPDATE upgrade SET target_version = ?, target_controller_version = ? WHERE id = ?'),
      setMessage: db.prepare('UPDATE upgrade SET message = ? WHERE id = ?'),
    };
    this.latestRecord = this.read(this.statements.latest.get());
  }

  latest(): UpgradeRecord | null {
    return this.latestRecord;
  }

  create(input: { mode: ImageDownloadMode; imageUrl: string; parallelMode: boolean; message: string; origin?: UpgradeOrigin; targets?: PredownloadTargets | null }): UpgradeRecord {
    const { origin, targets } = input;
    const info = this.statements.create.run(
      input.mode,
      input.imageUrl,
      input.parallelMode ? 1 : 0,
      new Date().toISOString(),
      input.message,
      origin?.username ?? null,
      origin?.via ?? null,
      targets ? JSON.stringify(targets) : null,
    );
    return this.reload(Number(info.lastInsertRowid))!;
  }

  /** The newest upgrades first: the history. */
  list(limit = 500): UpgradeRecord[] {
    return (this.statements.list.all(limit) as UpgradeRow[]).map(fromRow);
  }

  get(id: number): UpgradeRecord | null {
    if (this.latestRecord?.id === id) return this.latestRecord;
    return this.read(this.statements.get.get(id));
  }

  /** Compare-and-set on the stage; returns null when another actor moved it first. */
  transition(id: number, from: UpgradeStage, to: UpgradeStage, message?: string, ending: UpgradeEnding = {}): UpgradeRecord | null {
    if (!canTransitionStage(from, to)) throw new Error(`upgrade ${id}: ${from} -> ${to} is not an upgrade transition`);
    const barStage = (UPGRADE_BAR_STAGES as readonly string[]).includes(to) ? to : null;
    const info = this.statements.transition.run({
      id,
      from,
      to,
      barStage,
      ends: UPGRADE_ENDS.has(to) ? 1 : 0,
      now: new Date().toISOString(),
      message: message ?? null,
      apCounts: ending.apCounts ? JSON.stringify(ending.apCounts) : null,
      supersededBy: ending.supersededBy ?? null,
    });
    return info.changes === 1 ? this.reload(id) : null;
  }

  setTargets(id: number, targetVersion: string | null, targetControllerVersion: string | null): void {
    this.statements.setTargets.run(targetVersion, targetControllerVersion, id);
    this.reload(id);
  }

  setMessage(id: number, message: string): void {
    this.statements.setMessage.run(message, id);
    this.reload(id);
  }

  private reload(id: number): UpgradeRecord | null {
    const record = this.read(this.statements.get.get(id));
    if (record && (!this.latestRecord || record.id >= this.latestRecord.id)) this.latestRecord = record;
    return record;
  }

  private read(row: unknown): UpgradeRecord | null {
    return row ? fromRow(row as UpgradeRow) : null;
  }
}
