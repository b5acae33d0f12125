import type { PredownloadStatus } from '../../lib/predownloadStatus';
import type { SyslogLine } from '../../lib/syslog';
import type { AccessPointRecord } from '../fleet/accessPoint';
import type { Db } from './database';
import type { FleetStore } from './fleetStore';

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

/** The column is written only by this store, as a JSON array of MACs. */
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
  'mac',
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
] as const satisfies readonly (keyof AccessPointRow)[];

/** The fleet's tables in the console's SQLite file, every statement prepared once. */
export class SqliteFleetStore implements FleetStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      allAccessPoints: db.prepare('SELECT * FROM access_point'),
      upsertAccessPoint: db.prepare(
        `INSERT INTO access_point (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})
         ON CONFLICT (mac) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'mac')
           .map((c) => `${c} = excluded.${c}`)
           .join(', ')}`,
      ),
      recentLines: db.prepare('SELECT id, time, severity, facility, text FROM event_log ORDER BY id DESC LIMIT ?'),
      insertLine: db.prepare('INSERT INTO event_log (id, time, severity, facility, text) VALUES (@id, @time, @severity, @facility, @text)'),
      pruneLines: db.prepare('DELETE FROM event_log WHERE id <= ?'),
    };
  }

  loadAccessPoints(): AccessPointRecord[] {
    return (this.statements.allAccessPoints.all() as AccessPointRow[]).map(fromRow);
  }

  saveAccessPoints(records: Iterable<AccessPointRecord>): void {
    for (const record of records) this.statements.upsertAccessPoint.run(toRow(record));
  }

  loadRecentEventLines(limit: number): SyslogLine[] {
    return (this.statements.recentLines.all(limit) as SyslogLine[]).reverse();
  }

  appendEventLines(lines: readonly SyslogLine[]): void {
    for (const line of lines) this.statements.insertLine.run(line);
  }

  pruneEventLines(throughId: number): void {
    this.statements.pruneLines.run(throughId);
  }

  transaction<T>(change: () => T): T {
    return this.db.transaction(change)();
  }
}
