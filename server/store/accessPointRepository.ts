import { DEFAULT_SITE_TAG, type ApJoinInfo } from '../../lib/capwapEvents';
import { canTransition, type PredownloadStatus } from '../../lib/predownloadStatus';
import type { AccessPointRecord, TransitionChanges } from '../fleet/accessPoint';
import { FleetProjection, type FleetReader } from '../fleet/fleetProjection';
import type { Db } from './database';
import type { WriteBehind } from './writeBehind';

export type { AccessPointRecord, TransitionChanges } from '../fleet/accessPoint';

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
  last_seen_at: string;
  site_tag: string;
  neighbors: string;
  activation_excluded: number;
}

/** The column is written only by this repository, as a JSON array of MACs. */
function parseNeighbors(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((mac): mac is string => typeof mac === 'string') : [];
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
    lastSeenAt: row.last_seen_at,
    siteTag: row.site_tag,
    neighbors: parseNeighbors(row.neighbors),
    activationExcluded: row.activation_excluded === 1,
  };
}

function toRow(record: AccessPointRecord): AccessPointRow {
  return {
    mac: record.mac,
    name: record.name,
    model: record.model,
    image_type: record.imageType,
    role: record.role,
    primary_image: record.primaryImage,
    backup_image: record.backupImage,
    backup_image_sha256: record.backupImageSha256,
    controller_primary_image: record.controllerPrimaryImage,
    controller_backup_image: record.controllerBackupImage,
    hosts_controller: record.hostsController ? 1 : 0,
    free_space_kb: record.freeSpaceKb,
    predownload_status: record.predownloadStatus,
    predownload_version: record.predownloadVersion,
    retry_count: record.retryCount,
    next_retry_time: record.nextRetryTime,
    method: record.method,
    last_error: record.lastError,
    upgrade_id: record.upgradeId,
    last_seen_at: record.lastSeenAt,
    site_tag: record.siteTag,
    neighbors: JSON.stringify(record.neighbors),
    activation_excluded: record.activationExcluded ? 1 : 0,
  };
}

const COLUMNS = [
  'mac', 'name', 'model', 'image_type', 'role', 'primary_image', 'backup_image', 'backup_image_sha256', 'controller_primary_image',
  'controller_backup_image', 'hosts_controller', 'free_space_kb', 'predownload_status', 'predownload_version', 'retry_count',
  'next_retry_time', 'method', 'last_error', 'upgrade_id', 'last_seen_at', 'site_tag', 'neighbors', 'activation_excluded',
] as const satisfies readonly (keyof AccessPointRow)[];

export class IllegalTransitionError extends Error {}

/**
 * The fleet: an in-memory projection that every read and transition uses, with the
 * `access_point` table written behind it (changed rows, one transaction per store tick).
 * After a restart the projection is rebuilt from the table.
 */
export class AccessPointRepository {
  private readonly fleet = new FleetProjection();
  private readonly dirty = new Set<string>();
  private readonly upsert;

  constructor(
    db: Db,
    private readonly store: WriteBehind,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO access_point (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})
       ON CONFLICT (mac) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'mac')
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}`,
    );
    for (const row of db.prepare('SELECT * FROM access_point').all() as AccessPointRow[]) this.fleet.put(fromRow(row));
    store.register({
      write: () => {
        for (const mac of this.dirty) {
          const record = this.fleet.get(mac);
          if (record) this.upsert.run(toRow(record));
        }
      },
      committed: () => this.dirty.clear(),
    });
  }

  /** Counters and indexes of the whole fleet. */
  get reader(): FleetReader {
    return this.fleet;
  }

  /** Every AP, ordered by name. */
  all(): AccessPointRecord[] {
    return this.fleet.macsByName().map((mac) => this.fleet.get(mac)!);
  }

  get(mac: string): AccessPointRecord | null {
    return this.fleet.get(mac) ?? null;
  }

  /** Records what an AP reports about itself when it joins; its predownload state is kept. */
  upsertJoin(info: ApJoinInfo): AccessPointRecord {
    const previous = this.fleet.get(info.mac);
    return this.save({
      role: 'Master',
      backupImageSha256: null,
      predownloadStatus: 'None',
      predownloadVersion: null,
      retryCount: 0,
      nextRetryTime: null,
      method: 'CAPWAP',
      lastError: null,
      upgradeId: null,
      activationExcluded: false,
      ...previous,
      siteTag: info.siteTag ?? previous?.siteTag ?? DEFAULT_SITE_TAG,
      neighbors: info.neighbors ?? previous?.neighbors ?? [],
      mac: info.mac,
      name: info.name,
      model: info.model,
      imageType: info.imageType,
      primaryImage: info.primaryVersion,
      backupImage: info.backupVersion,
      controllerPrimaryImage: info.controllerPrimaryVersion ?? null,
      controllerBackupImage: info.controllerBackupVersion ?? null,
      hostsController: info.hostsController,
      freeSpaceKb: info.freeSpaceKb,
      lastSeenAt: new Date().toISOString(),
    });
  }

  /** The AP verified and staged an image: it is now its backup image. */
  recordBackupImage(mac: string, version: string, sha256: string): void {
    const record = this.fleet.get(mac);
    if (record) this.save({ ...record, backupImage: version, backupImageSha256: sha256 });
  }

  recordControllerBackupImage(mac: string, version: string): void {
    const record = this.fleet.get(mac);
    if (record) this.save({ ...record, controllerBackupImage: version });
  }

  /** Takes the AP out of the activation, or back in. */
  setActivationExcluded(mac: string, excluded: boolean): AccessPointRecord | null {
    const record = this.fleet.get(mac);
    return record ? this.save({ ...record, activationExcluded: excluded }) : null;
  }

  /**
   * Compare-and-set: moves the AP from `from` to `to` only if it is still in `from`
   * and the move is allowed, so two actors (a retry timer and a cancel) can never both win.
   */
  transition(mac: string, from: PredownloadStatus, to: PredownloadStatus, changes: TransitionChanges = {}): AccessPointRecord | null {
    if (!canTransition(from, to)) throw new IllegalTransitionError(`${mac}: ${from} -> ${to} is not a predownload transition`);
    const record = this.fleet.get(mac);
    if (!record || record.predownloadStatus !== from) return null;
    const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as TransitionChanges;
    return this.save({ ...record, ...defined, predownloadStatus: to });
  }

  private save(record: AccessPointRecord): AccessPointRecord {
    this.fleet.put(record);
    this.dirty.add(record.mac);
    this.store.changed();
    return record;
  }
}
