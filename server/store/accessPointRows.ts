import type { AccessPointRecord } from '../fleet/accessPoint';
import { fromExcluded, statementRuns } from './rowBatches';
import type { AccessPointTable } from './schema';
import type { Executor } from './store';

/** The column is written only by this store, as a JSON array of MACs. */
function parseNeighbors(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((mac): mac is string => typeof mac === 'string') : [];
}

function fromRow(row: AccessPointTable): AccessPointRecord {
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

function toRow(record: AccessPointRecord): AccessPointTable {
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

const UPDATED = [
  'name',
  'model',
  'image_type',
  'role',
  'primary_image',
  'backup_image',
  'backup_image_sha256',
  'controller_primary_image',
  'controller_backup_image',
  'hosts_controller',
  'free_space_kb',
  'predownload_status',
  'predownload_version',
  'retry_count',
  'next_retry_time',
  'method',
  'last_error',
  'upgrade_id',
  'last_seen_at',
  'site_tag',
  'neighbors',
  'activation_excluded',
] as const satisfies readonly (keyof AccessPointTable)[];

/** The fleet's table: read whole at start, written behind the in-memory projection. */
export const accessPointRows = {
  async all(db: Executor): Promise<AccessPointRecord[]> {
    return (await db.selectFrom('access_point').selectAll().execute()).map(fromRow);
  },

  /** Inserts or updates these APs, many to a statement (a fleet of thousands changes at once). */
  async save(db: Executor, records: readonly AccessPointRecord[]): Promise<void> {
    for (const run of statementRuns(records.map(toRow), UPDATED.length + 1)) {
      await db
        .insertInto('access_point')
        .values(run)
        .onConflict((conflict) => conflict.column('mac').doUpdateSet(fromExcluded(UPDATED)))
        .execute();
    }
  },
};
