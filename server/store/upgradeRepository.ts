import { upgradeApCountsSchema, type UpgradeApCounts } from '../../lib/upgradeOutcome';
import { englishOf, sentenceSchema, type Sentence } from '../../lib/serverSentences';
import { canTransitionStage, UPGRADE_BAR_STAGES, UPGRADE_ENDS, type UpgradeBarStage, type UpgradeStage } from '../../lib/upgradeStage';
import type { ImageDownloadMode } from '../../lib/imageDownloadProfile';
import type { PredownloadTargets } from '../../lib/rollout';
import { fromExcluded, statementRuns } from './rowBatches';
import type { UpgradeTable } from './schema';
import type { Executor } from './store';
import { ChangedRecords, type UnitOfWork } from './unitOfWork';

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
  /** The message's code and parameters, for the page to say it in its language; null for rows written before they were kept. */
  messageSentence: Sentence | null;
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

/** Written only by this repository; a value that no longer parses reads as unknown rather than failing the history. */
function parseCounts(json: string | null): UpgradeApCounts | null {
  if (!json) return null;
  const parsed = upgradeApCountsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

/** Written only by this repository; a value that no longer parses reads as none, and the page shows the English message. */
export function parseSentence(json: string | null): Sentence | null {
  if (!json) return null;
  const parsed = sentenceSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

/** A message given as a sentence is written in English with its code beside it; plain text has no code. */
function messageFields(message: string | Sentence): Pick<UpgradeRecord, 'message' | 'messageSentence'> {
  return typeof message === 'string' ? { message, messageSentence: null } : { message: englishOf(message), messageSentence: message };
}

function fromRow(row: UpgradeTable): UpgradeRecord {
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
    messageSentence: parseSentence(row.message_sentence),
    startedBy: row.started_by,
    startedVia: row.started_via,
    // Written only by this repository from a parsed request.
    targets: row.targets ? (JSON.parse(row.targets) as PredownloadTargets) : null,
    apCounts: parseCounts(row.ap_counts),
    supersededBy: row.superseded_by,
  };
}

function toRow(record: UpgradeRecord): UpgradeTable {
  return {
    id: record.id,
    stage: record.stage,
    last_bar_stage: record.lastBarStage,
    mode: record.mode,
    image_url: record.imageUrl,
    parallel_mode: record.parallelMode ? 1 : 0,
    target_version: record.targetVersion,
    target_controller_version: record.targetControllerVersion,
    started_at: record.startedAt,
    finished_at: record.finishedAt,
    message: record.message,
    message_sentence: record.messageSentence ? JSON.stringify(record.messageSentence) : null,
    started_by: record.startedBy,
    started_via: record.startedVia,
    targets: record.targets ? JSON.stringify(record.targets) : null,
    ap_counts: record.apCounts ? JSON.stringify(record.apCounts) : null,
    superseded_by: record.supersededBy,
  };
}

const UPDATED = [
  'stage',
  'last_bar_stage',
  'mode',
  'image_url',
  'parallel_mode',
  'target_version',
  'target_controller_version',
  'started_at',
  'finished_at',
  'message',
  'message_sentence',
  'started_by',
  'started_via',
  'targets',
  'ap_counts',
  'superseded_by',
] as const satisfies readonly (keyof UpgradeTable)[];

/** The upgrade table, for the history (which reads it after the unit of work has written what is pending). */
export const upgradeRows = {
  async latest(db: Executor): Promise<UpgradeRecord | null> {
    const row = await db.selectFrom('upgrade').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row ? fromRow(row) : null;
  },

  /** The newest upgrades first. */
  async list(db: Executor, limit = 500): Promise<UpgradeRecord[]> {
    return (await db.selectFrom('upgrade').selectAll().orderBy('id', 'desc').limit(limit).execute()).map(fromRow);
  },

  async find(db: Executor, id: number): Promise<UpgradeRecord | null> {
    const row = await db.selectFrom('upgrade').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  },

  /** Inserts or updates these upgrades in one statement, so that one may name another created with it (`superseded_by`). */
  async save(db: Executor, records: readonly UpgradeRecord[]): Promise<void> {
    // Newest first as well: a row is written before an older one that points to it.
    const rows = [...records].sort((a, b) => b.id - a.id).map(toRow);
    for (const run of statementRuns(rows, UPDATED.length + 1)) {
      await db
        .insertInto('upgrade')
        .values(run)
        .onConflict((conflict) => conflict.column('id').doUpdateSet(fromExcluded(UPDATED)))
        .execute();
    }
  },
};

/** Who started an upgrade and through what. */
export interface UpgradeOrigin {
  username: string;
  via: 'page' | 'api' | 'cli' | 'schedule';
}

/**
 * The upgrades as the orchestrator works with them: the latest (read on every stage check and view) and
 * any other this process changed, in memory. A stage changes by compare-and-set on the record in memory,
 * synchronously, so two actors never both win; the unit of work writes the rows behind it. Upgrade ids
 * are numbered here, by the one process that runs upgrades (with several nodes: the leader).
 */
export class UpgradeRepository {
  private latestRecord: UpgradeRecord | null;
  private readonly held = new Map<number, UpgradeRecord>();
  private readonly changed = new ChangedRecords((id: number) => this.held.get(id), upgradeRows.save);
  private nextId: number;

  private constructor(
    latest: UpgradeRecord | null,
    private readonly store: UnitOfWork,
  ) {
    this.latestRecord = latest;
    if (latest) this.held.set(latest.id, latest);
    this.nextId = (latest?.id ?? 0) + 1;
    store.register(this.changed);
  }

  static async load(db: Executor, store: UnitOfWork): Promise<UpgradeRepository> {
    return new UpgradeRepository(await upgradeRows.latest(db), store);
  }

  latest(): UpgradeRecord | null {
    return this.latestRecord;
  }

  create(input: { mode: ImageDownloadMode; imageUrl: string; parallelMode: boolean; message: string | Sentence; origin?: UpgradeOrigin; targets?: PredownloadTargets | null }): UpgradeRecord {
    const { origin, targets } = input;
    return this.save({
      id: this.nextId++,
      stage: 'Initiate',
      lastBarStage: 'Initiate',
      mode: input.mode,
      imageUrl: input.imageUrl,
      parallelMode: input.parallelMode,
      targetVersion: null,
      targetControllerVersion: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      ...messageFields(input.message),
      startedBy: origin?.username ?? null,
      startedVia: origin?.via ?? null,
      targets: targets ?? null,
      apCounts: null,
      supersededBy: null,
    });
  }

  /** An upgrade this process holds (the latest, or one it changed); the history reads the others from the table. */
  get(id: number): UpgradeRecord | null {
    return this.held.get(id) ?? null;
  }

  /** Compare-and-set on the stage; returns null when another actor moved it first. */
  transition(id: number, from: UpgradeStage, to: UpgradeStage, message?: string | Sentence, ending: UpgradeEnding = {}): UpgradeRecord | null {
    if (!canTransitionStage(from, to)) throw new Error(`upgrade ${id}: ${from} -> ${to} is not an upgrade transition`);
    const record = this.held.get(id);
    if (!record || record.stage !== from) return null;
    return this.save({
      ...record,
      stage: to,
      lastBarStage: (UPGRADE_BAR_STAGES as readonly string[]).includes(to) ? (to as UpgradeBarStage) : record.lastBarStage,
      finishedAt: UPGRADE_ENDS.has(to) ? new Date().toISOString() : record.finishedAt,
      ...(message === undefined ? {} : messageFields(message)),
      apCounts: ending.apCounts ?? record.apCounts,
      supersededBy: ending.supersededBy ?? record.supersededBy,
    });
  }

  setTargets(id: number, targetVersion: string | null, targetControllerVersion: string | null): void {
    const record = this.held.get(id);
    if (record) this.save({ ...record, targetVersion, targetControllerVersion });
  }

  private save(record: UpgradeRecord): UpgradeRecord {
    this.held.set(record.id, record);
    if (!this.latestRecord || record.id >= this.latestRecord.id) this.latestRecord = record;
    this.changed.mark(record.id);
    this.store.changed();
    return record;
  }
}
