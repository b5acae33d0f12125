import { z } from 'zod';
import type { ImageKind } from '../../lib/capwapEvents';
import { EMPTY_IMAGE_DOWNLOAD_PROFILE, imageDownloadProfileSchema } from '../../lib/imageDownloadProfile';
import type { SecretBox } from '../secrets/secretBox';
import { fromExcluded, statementRuns } from './rowBatches';
import type { Executor } from './store';
import type { StoredProfile } from './profileRepository';
import type { UnitOfWork } from './unitOfWork';

/** A bundle file of a run; size and sha256 once it is in the image cache. */
export interface RunJobRecord {
  fileName: string;
  kind: ImageKind;
  imageType: string | null;
  size: number | null;
  sha256: string | null;
}

/** What a running upgrade needs to carry on after a restart, beside the AP rows and the upgrade row. */
export interface PersistedRun {
  upgradeId: number;
  profile: StoredProfile;
  cacheDir: string;
  jobs: RunJobRecord[];
  /** Each enrolled AP and the image kinds it still has to receive. */
  pending: Map<string, ImageKind[]>;
  /** The last count each AP acknowledged of each image, as last kept. */
  acknowledged: AcknowledgedRecord[];
}

/** The last count an AP acknowledged of one image of a run, kept every few percent and at the end of its transfer. */
export interface AcknowledgedRecord {
  mac: string;
  kind: ImageKind;
  bytes: number;
  total: number;
}

/**
 * A snapshot written before TFTP and SFTP kept their own server, path and port has them at the top
 * level, for the snapshot's mode: they go to that mode's slot, so a run started before the upgrade
 * resumes from the same server.
 */
function withServerSlots(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || 'tftp' in raw) return raw;
  const { imageServer, imagePath, port, ...rest } = raw as Record<string, unknown> & { sftp?: Record<string, unknown> };
  const slot = { imageServer, imagePath, port };
  const sftp = { ...EMPTY_IMAGE_DOWNLOAD_PROFILE.sftp, ...rest.sftp, hostKeyType: rest.sftp?.hostKeyType ?? null };
  return rest.mode === 'SFTP' ? { ...rest, tftp: EMPTY_IMAGE_DOWNLOAD_PROFILE.tftp, sftp: { ...sftp, ...slot } } : { ...rest, tftp: slot, sftp };
}

/** The snapshot as stored: the profile with its SFTP and CCO secrets sealed, never in clear. */
const snapshotSchema = z.preprocess(withServerSlots, imageDownloadProfileSchema);

const kindsOf = (text: string): ImageKind[] => text.split(',').filter((kind): kind is ImageKind => kind === 'ap' || kind === 'controller');

/** A run row to write: the snapshot sealed when the run was created. */
interface NewRun {
  upgradeId: number;
  profile: string;
  cacheDir: string;
  createdAt: string;
}

type DirtyJob = { upgradeId: number; job: RunJobRecord };
type DirtyAp = { upgradeId: number; mac: string; kinds: string };
type DirtyProgress = { upgradeId: number; record: AcknowledgedRecord };

/**
 * The durable side of a running upgrade. The run row (with the profile snapshot), its jobs and per-AP
 * pending kinds are all written behind by the unit of work: the run row in the same transaction as the
 * upgrade row it belongs to, jobs and pending kinds in the same tick as the AP transitions they go with,
 * so the two never disagree after a crash. The counts APs acknowledged go with the same tick; how often one is
 * kept is the caller's choice (never per block).
 */
export class UpgradeRunRepository {
  private created: NewRun[] = [];
  private dirtyJobs = new Map<string, DirtyJob>();
  private dirtyAps = new Map<string, DirtyAp>();
  private dirtyProgress = new Map<string, DirtyProgress>();
  /** The newest run created here: what an older run had not written yet is dropped with its rows. */
  private newest = 0;

  constructor(
    store: UnitOfWork,
    private readonly secrets: SecretBox,
  ) {
    store.register({
      take: () => {
        if (this.created.length === 0 && this.dirtyJobs.size === 0 && this.dirtyAps.size === 0 && this.dirtyProgress.size === 0) return null;
        const created = this.created;
        const jobs = this.dirtyJobs;
        const aps = this.dirtyAps;
        const progress = this.dirtyProgress;
        this.created = [];
        this.dirtyJobs = new Map();
        this.dirtyAps = new Map();
        this.dirtyProgress = new Map();
        return {
          write: (tx) => runRows.write(tx, created, [...jobs.values()], [...aps.values()], [...progress.values()]),
          restore: () => {
            this.created = [...created, ...this.created];
            // Newer values taken since stay; nothing of a run older than the newest comes back.
            for (const [key, dirty] of jobs) if (!this.dirtyJobs.has(key) && dirty.upgradeId >= this.newest) this.dirtyJobs.set(key, dirty);
            for (const [key, dirty] of aps) if (!this.dirtyAps.has(key) && dirty.upgradeId >= this.newest) this.dirtyAps.set(key, dirty);
            for (const [key, dirty] of progress) if (!this.dirtyProgress.has(key) && dirty.upgradeId >= this.newest) this.dirtyProgress.set(key, dirty);
          },
        };
      },
    });
  }

  /** The run of a new upgrade, created with it (call in the same synchronous step as the upgrade). */
  create(upgradeId: number, profile: StoredProfile, cacheDir: string): void {
    const seal = (value: string | null) => (value === null ? null : this.secrets.seal(value));
    const sealed = {
      ...profile,
      sftp: { ...profile.sftp, password: seal(profile.sftp.password), privateKey: seal(profile.sftp.privateKey), passphrase: seal(profile.sftp.passphrase) },
      cco: { ...profile.cco, password: seal(profile.cco.password) },
    };
    this.newest = Math.max(this.newest, upgradeId);
    // What an older run had not written yet goes with its rows: written now, it would break their foreign key
    // and fail this transaction and every tick after it.
    for (const [key, dirty] of this.dirtyJobs) if (dirty.upgradeId < upgradeId) this.dirtyJobs.delete(key);
    for (const [key, dirty] of this.dirtyAps) if (dirty.upgradeId < upgradeId) this.dirtyAps.delete(key);
    for (const [key, dirty] of this.dirtyProgress) if (dirty.upgradeId < upgradeId) this.dirtyProgress.delete(key);
    this.created.push({ upgradeId, profile: JSON.stringify(sealed), cacheDir, createdAt: new Date().toISOString() });
  }

  recordJob(upgradeId: number, job: RunJobRecord): void {
    this.dirtyJobs.set(`${upgradeId}:${job.fileName}`, { upgradeId, job: { ...job } });
  }

  recordPending(upgradeId: number, mac: string, kinds: Iterable<ImageKind>): void {
    this.dirtyAps.set(`${upgradeId}:${mac}`, { upgradeId, mac, kinds: [...kinds].join(',') });
  }

  /** Keeps the last count an AP acknowledged of one image of the run (written at the next tick; a newer count replaces it). */
  recordAcknowledged(upgradeId: number, record: AcknowledgedRecord): void {
    this.dirtyProgress.set(`${upgradeId}:${record.mac}:${record.kind}`, { upgradeId, record: { ...record } });
  }

  /** The run as last written, secrets opened; null when none was stored. Throws when the snapshot cannot be opened. */
  async load(db: Executor, upgradeId: number): Promise<PersistedRun | null> {
    const row = await db.selectFrom('upgrade_run').select(['profile', 'cache_dir']).where('upgrade_id', '=', upgradeId).executeTakeFirst();
    if (!row) return null;
    const sealed = snapshotSchema.parse(JSON.parse(row.profile));
    const open = (value: string | null) => (value === null ? null : this.secrets.open(value));
    const profile: StoredProfile = {
      ...sealed,
      sftp: { ...sealed.sftp, password: open(sealed.sftp.password), privateKey: open(sealed.sftp.privateKey), passphrase: open(sealed.sftp.passphrase) },
      cco: { ...sealed.cco, password: open(sealed.cco.password) },
    };
    const jobRows = await db.selectFrom('upgrade_run_job').select(['file_name', 'kind', 'image_type', 'size', 'sha256']).where('upgrade_id', '=', upgradeId).orderBy('file_name').execute();
    const jobs = jobRows.map((job) => ({ fileName: job.file_name, kind: job.kind, imageType: job.image_type, size: job.size, sha256: job.sha256 }));
    const apRows = await db.selectFrom('upgrade_run_ap').select(['mac', 'pending_kinds']).where('upgrade_id', '=', upgradeId).execute();
    const pending = new Map(apRows.map((ap) => [ap.mac, kindsOf(ap.pending_kinds)]));
    const acknowledged = await db.selectFrom('upgrade_run_progress').select(['mac', 'kind', 'bytes', 'total']).where('upgrade_id', '=', upgradeId).orderBy('mac').orderBy('kind').execute();
    return { upgradeId, profile, cacheDir: row.cache_dir, jobs, pending, acknowledged };
  }

  /** Re-seals the secrets of every saved run snapshot with another box: the key rotation command. */
  static async reseal(db: Executor, current: SecretBox, next: SecretBox): Promise<number> {
    let resealed = 0;
    for (const row of await db.selectFrom('upgrade_run').select(['upgrade_id', 'profile']).execute()) {
      const sealed = snapshotSchema.parse(JSON.parse(row.profile));
      const move = (value: string | null) => {
        if (value === null) return null;
        resealed += 1;
        return next.seal(current.open(value));
      };
      const sftp = { ...sealed.sftp, password: move(sealed.sftp.password), privateKey: move(sealed.sftp.privateKey), passphrase: move(sealed.sftp.passphrase) };
      const profile = JSON.stringify({ ...sealed, sftp, cco: { ...sealed.cco, password: move(sealed.cco.password) } });
      await db.updateTable('upgrade_run').set({ profile }).where('upgrade_id', '=', row.upgrade_id).execute();
    }
    return resealed;
  }
}

/** The run tables, written in the order their foreign keys need. */
const runRows = {
  async write(db: Executor, created: readonly NewRun[], jobs: readonly DirtyJob[], aps: readonly DirtyAp[], progress: readonly DirtyProgress[]): Promise<void> {
    for (const run of created) {
      // Only the newest run can ever be resumed; older ones (their jobs and APs with them) go when a new one starts.
      await db.deleteFrom('upgrade_run').where('upgrade_id', '<', run.upgradeId).execute();
      await db.insertInto('upgrade_run').values({ upgrade_id: run.upgradeId, profile: run.profile, cache_dir: run.cacheDir, created_at: run.createdAt }).execute();
    }
    for (const batch of statementRuns(jobs, 6)) {
      await db
        .insertInto('upgrade_run_job')
        .values(batch.map(({ upgradeId, job }) => ({ upgrade_id: upgradeId, file_name: job.fileName, kind: job.kind, image_type: job.imageType, size: job.size, sha256: job.sha256 })))
        .onConflict((conflict) => conflict.columns(['upgrade_id', 'file_name']).doUpdateSet(fromExcluded(['size', 'sha256'] as const)))
        .execute();
    }
    for (const batch of statementRuns(aps, 3)) {
      await db
        .insertInto('upgrade_run_ap')
        .values(batch.map(({ upgradeId, mac, kinds }) => ({ upgrade_id: upgradeId, mac, pending_kinds: kinds })))
        .onConflict((conflict) => conflict.columns(['upgrade_id', 'mac']).doUpdateSet(fromExcluded(['pending_kinds'] as const)))
        .execute();
    }
    for (const batch of statementRuns(progress, 5)) {
      await db
        .insertInto('upgrade_run_progress')
        .values(batch.map(({ upgradeId, record }) => ({ upgrade_id: upgradeId, mac: record.mac, kind: record.kind, bytes: record.bytes, total: record.total })))
        .onConflict((conflict) => conflict.columns(['upgrade_id', 'mac', 'kind']).doUpdateSet(fromExcluded(['bytes', 'total'] as const)))
        .execute();
    }
  },
};
