import type { ApJoinInfo } from '../../lib/capwapEvents';
import { canTransition, type PredownloadStatus } from '../../lib/predownloadStatus';
import type { Db } from './database';

/** An AP as the store keeps it: identity, images and predownload state. Live progress is not stored. */
export interface AccessPointRecord {
  mac: string;
  name: string;
  model: string;
  imageType: string;
  role: string;
  primaryImage: string;
  backupImage: string;
  backupImageSha256: string | null;
  controllerPrimaryImage: string | null;
  controllerBackupImage: string | null;
  hostsController: boolean;
  freeSpaceKb: number;
  predownloadStatus: PredownloadStatus;
  predownloadVersion: string | null;
  retryCount: number;
  nextRetryTime: string | null;
  method: string;
  lastError: string | null;
  upgradeId: number | null;
}

interface AccessPointRow {
  mac: string;
  name: string;
  model: string;
  image_type: string;
  role: string;
  primary_image: string;
  backup_image: string;
  backup_image_sha256: string | null;
  controller_primary_image: string | null;
  controller_backup_image: string | null;
  hosts_controller: number;
  free_space_kb: number;
  predownload_status: PredownloadStatus;
  predownload_version: string | null;
  retry_count: number;
  next_retry_time: string | null;
  method: string;
  last_error: string | null;
  upgrade_id: number | null;
}

function fromRow(row: AccessPointRow): AccessPointRecord {
  return {
    mac: row.mac,
    name: row.name,
    model: row.model,
    imageType: row.image_type,
    role: row.role,
    primaryImage: row.primary_image,
    backupImage: row.backup_image,
    backupImageSha256: row.backup_image_sha256,
    controllerPrimaryImage: row.controller_primary_image,
    controllerBackupImage: row.controller_backup_image,
    hostsController: row.hosts_controller === 1,
    freeSpaceKb: row.free_space_kb,
    predownloadStatus: row.predownload_status,
    predownloadVersion: row.predownload_version,
    retryCount: row.retry_count,
    nextRetryTime: row.next_retry_time,
    method: row.method,
    lastError: row.last_error,
    upgradeId: row.upgrade_id,
  };
}

/** What a transition may change beside the status itself. */
export interface TransitionChanges {
  predownloadVersion?: string | null;
  retryCount?: number;
  nextRetryTime?: string | null;
  lastError?: string | null;
  upgradeId?: number | null;
}

const CHANGE_COLUMNS: Record<keyof TransitionChanges, string> = {
  predownloadVersion: 'predownload_version',
  retryCount: 'retry_count',
  nextRetryTime: 'next_retry_time',
  lastError: 'last_error',
  upgradeId: 'upgrade_id',
};

export class IllegalTransitionError extends Error {}

export class AccessPointRepository {
  constructor(private readonly db: Db) {}

  all(): AccessPointRecord[] {
    return (this.db.prepare('SELECT * FROM access_point ORDER BY name').all() as AccessPointRow[]).map(fromRow);
  }

  get(mac: string): AccessPointRecord | null {
    const row = this.db.prepare('SELECT * FROM access_point WHERE mac = ?').get(mac) as AccessPointRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Records what an AP reports about itself when it joins; its predownload state is kept. */
  upsertJoin(info: ApJoinInfo): AccessPointRecord {
    this.db
      .prepare(
        `INSERT INTO access_point (mac, name, model, image_type, primary_image, backup_image, controller_primary_image, controller_backup_image,
           hosts_controller, free_space_kb, last_seen_at)
         VALUES (@mac, @name, @model, @imageType, @primaryVersion, @backupVersion, @controllerPrimary, @controllerBackup, @hostsController, @freeSpaceKb, @now)
         ON CONFLICT (mac) DO UPDATE SET name = excluded.name, model = excluded.model, image_type = excluded.image_type,
           primary_image = excluded.primary_image, backup_image = excluded.backup_image,
           controller_primary_image = excluded.controller_primary_image, controller_backup_image = excluded.controller_backup_image,
           hosts_controller = excluded.hosts_controller, free_space_kb = excluded.free_space_kb, last_seen_at = excluded.last_seen_at`,
      )
      .run({
        mac: info.mac,
        name: info.name,
        model: info.model,
        imageType: info.imageType,
        primaryVersion: info.primaryVersion,
        backupVersion: info.backupVersion,
        controllerPrimary: info.controllerPrimaryVersion ?? null,
        controllerBackup: info.controllerBackupVersion ?? null,
        hostsController: info.hostsController ? 1 : 0,
        freeSpaceKb: info.freeSpaceKb,
        now: new Date().toISOString(),
      });
    return this.get(info.mac)!;
  }

  /** The AP verified and staged an image: it is now its backup image. */
  recordBackupImage(mac: string, version: string, sha256: string): void {
    this.db.prepare('UPDATE access_point SET backup_image = ?, backup_image_sha256 = ? WHERE mac = ?').run(version, sha256, mac);
  }

  recordControllerBackupImage(mac: string, version: string): void {
    this.db.prepare('UPDATE access_point SET controller_backup_image = ? WHERE mac = ?').run(version, mac);
  }

  /**
   * Compare-and-set: moves the AP from `from` to `to` only if it is still in `from`
   * and the move is allowed, so two actors (a retry timer and a cancel) can never both win.
   */
  transition(mac: string, from: PredownloadStatus, to: PredownloadStatus, changes: TransitionChanges = {}): AccessPointRecord | null {
    if (!canTransition(from, to)) throw new IllegalTransitionError(`${mac}: ${from} -> ${to} is not a predownload transition`);
    const sets = ['predownload_status = @to'];
    const params: Record<string, unknown> = { mac, from, to };
    for (const [key, column] of Object.entries(CHANGE_COLUMNS) as [keyof TransitionChanges, string][]) {
      if (changes[key] !== undefined) {
        sets.push(`${column} = @${key}`);
        params[key] = changes[key];
      }
    }
    const info = this.db.prepare(`UPDATE access_point SET ${sets.join(', ')} WHERE mac = @mac AND predownload_status = @from`).run(params);
    return info.changes === 1 ? this.get(mac) : null;
  }
}
