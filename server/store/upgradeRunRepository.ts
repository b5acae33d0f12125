import { z } from 'zod';
import type { ImageKind } from '../../lib/capwapEvents';
import { EMPTY_IMAGE_DOWNLOAD_PROFILE, imageDownloadProfileSchema } from '../../lib/imageDownloadProfile';
import type { SecretBox } from '../secrets/secretBox';
import type { Db } from './database';
import type { StoredProfile } from './profileRepository';
import type { WriteBehind } from './writeBehind';

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

/**
 * The durable side of a running upgrade. The run row (with the profile snapshot) is written at once, in
 * the transaction that creates the upgrade; jobs and per-AP pending kinds are written behind, in the same
 * store tick as the AP transitions they go with, so the two never disagree after a crash.
 */
export class UpgradeRunRepository {
  private readonly dirtyJobs = new Map<string, { upgradeId: number; job: RunJobRecord }>();
  private readonly dirtyAps = new Map<string, { upgradeId: number; mac: string; kinds: string }>();
  private readonly statements;

  constructor(
    db: Db,
    store: WriteBehind,
    private readonly secrets: SecretBox,
  ) {
    this.statements = {
      create: db.prepare('INSERT INTO upgrade_run (upgrade_id, profile, cache_dir, created_at) VALUES (?, ?, ?, ?)'),
      // Only the newest run can ever be resumed; older ones are dropped when a new one starts.
      prune: db.prepare('DELETE FROM upgrade_run WHERE upgrade_id < ?'),
      get: db.prepare('SELECT profile, cache_dir FROM upgrade_run WHERE upgrade_id = ?'),
      jobs: db.prepare('SELECT file_name, kind, image_type, size, sha256 FROM upgrade_run_job WHERE upgrade_id = ?'),
      aps: db.prepare('SELECT mac, pending_kinds FROM upgrade_run_ap WHERE upgrade_id = ?'),
      upsertJob: db.prepare(
        `INSERT INTO upgrade_run_job (upgrade_id, file_name, kind, image_type, size, sha256) VALUES (@upgradeId, @fileName, @kind, @imageType, @size, @sha256)
         ON CONFLICT (upgrade_id, file_name) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256`,
      ),
      upsertAp: db.prepare(
        `INSERT INTO upgrade_run_ap (upgrade_id, mac, pending_kinds) VALUES (@upgradeId, @mac, @kinds)
         ON CONFLICT (upgrade_id, mac) DO UPDATE SET pending_kinds = excluded.pending_kinds`,
      ),
    };
    store.register({
      write: () => {
        for (const { upgradeId, job } of this.dirtyJobs.values()) this.statements.upsertJob.run({ upgradeId, ...job });
        for (const row of this.dirtyAps.values()) this.statements.upsertAp.run(row);
      },
      committed: () => {
        this.dirtyJobs.clear();
        this.dirtyAps.clear();
      },
    });
  }

  /** Call inside the transaction that creates the upgrade row. */
  create(upgradeId: number, profile: StoredProfile, cacheDir: string): void {
    const seal = (value: string | null) => (value === null ? null : this.secrets.seal(value));
    const sealed = {
      ...profile,
      sftp: { ...profile.sftp, password: seal(profile.sftp.password), privateKey: seal(profile.sftp.privateKey), passphrase: seal(profile.sftp.passphrase) },
      cco: { ...profile.cco, password: seal(profile.cco.password) },
    };
    this.statements.prune.run(upgradeId);
    // What an older run had not written yet goes with its rows: written now, it would break their foreign key
    // and fail this transaction and every tick after it.
    for (const [key, dirty] of this.dirtyJobs) if (dirty.upgradeId < upgradeId) this.dirtyJobs.delete(key);
    for (const [key, dirty] of this.dirtyAps) if (dirty.upgradeId < upgradeId) this.dirtyAps.delete(key);
    this.statements.create.run(upgradeId, JSON.stringify(sealed), cacheDir, new Date().toISOString());
  }

  recordJob(upgradeId: number, job: RunJobRecord): void {
    this.dirtyJobs.set(`${upgradeId}:${job.fileName}`, { upgradeId, job: { ...job } });
  }

  recordPending(upgradeId: number, mac: string, kinds: Iterable<ImageKind>): void {
    this.dirtyAps.set(`${upgradeId}:${mac}`, { upgradeId, mac, kinds: [...kinds].join(',') });
  }

  /** Re-seals the secrets of every saved run snapshot with another box: the key rotation command. */
  static reseal(db: Db, current: SecretBox, next: SecretBox): number {
    let resealed = 0;
    const update = db.prepare('UPDATE upgrade_run SET profile = ? WHERE upgrade_id = ?');
    for (const row of db.prepare('SELECT upgrade_id, profile FROM upgrade_run').all() as { upgrade_id: number; profile: string }[]) {
      const sealed = snapshotSchema.parse(JSON.parse(row.profile));
      const move = (value: string | null) => {
        if (value === null) return null;
        resealed += 1;
        return next.seal(current.open(value));
      };
      const sftp = { ...sealed.sftp, password: move(sealed.sftp.password), privateKey: move(sealed.sftp.privateKey), passphrase: move(sealed.sftp.passphrase) };
      update.run(JSON.stringify({ ...sealed, sftp, cco: { ...sealed.cco, password: move(sealed.cco.password) } }), row.upgrade_id);
    }
    return resealed;
  }

  /** The run as last written, secrets opened; null when none was stored. Throws when the snapshot cannot be opened. */
  load(upgradeId: number): PersistedRun | null {
    const row = this.statements.get.get(upgradeId) as { profile: string; cache_dir: string } | undefined;
    if (!row) return null;
    const sealed = snapshotSchema.parse(JSON.parse(row.profile));
    const open = (value: string | null) => (value === null ? null : this.secrets.open(value));
    const profile: StoredProfile = {
      ...sealed,
      sftp: { ...sealed.sftp, password: open(sealed.sftp.password), privateKey: open(sealed.sftp.privateKey), passphrase: open(sealed.sftp.passphrase) },
      cco: { ...sealed.cco, password: open(sealed.cco.password) },
    };
    type JobRow = { file_name: string; kind: ImageKind; image_type: string | null; size: number | null; sha256: string | null };
    const jobs = (this.statements.jobs.all(upgradeId) as JobRow[]).map((job) => ({ fileName: job.file_name, kind: job.kind, imageType: job.image_type, size: job.size, sha256: job.sha256 }));
    const pending = new Map((this.statements.aps.all(upgradeId) as { mac: string; pending_kinds: string }[]).map((ap) => [ap.mac, kindsOf(ap.pending_kinds)]));
    return { upgradeId, profile, cacheDir: row.cache_dir, jobs, pending };
  }
}
