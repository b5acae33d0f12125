import { AP_IMAGE_ROLE } from '../../lib/apImage';
import { DEFAULT_SITE_TAG, type ApJoinInfo } from '../../lib/capwapEvents';
import { canTransition, type PredownloadStatus } from '../../lib/predownloadStatus';
import { FRESH_PREDOWNLOAD_STATE, type AccessPointRecord, type TransitionChanges } from '../fleet/accessPoint';
import { FleetProjection, type FleetReader } from '../fleet/fleetProjection';
import { accessPointRows } from './accessPointRows';
import type { Executor } from './store';
import { ChangedRecords, type UnitOfWork } from './unitOfWork';

export type { AccessPointRecord, TransitionChanges } from '../fleet/accessPoint';

export class IllegalTransitionError extends Error {}

/**
 * The fleet: an in-memory projection that every read and transition uses, with the database
 * written behind it (changed APs, one transaction per store tick). After a restart the
 * projection is rebuilt from the database.
 */
export class AccessPointRepository {
  private readonly fleet = new FleetProjection();
  private readonly changed = new ChangedRecords((mac: string) => this.fleet.get(mac), accessPointRows.save);

  private constructor(
    records: readonly AccessPointRecord[],
    private readonly store: UnitOfWork,
  ) {
    for (const record of records) this.fleet.put(record);
    store.register(this.changed);
  }

  /** The projection of the fleet as the database holds it. */
  static async load(db: Executor, store: UnitOfWork): Promise<AccessPointRepository> {
    return new AccessPointRepository(await accessPointRows.all(db), store);
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
      ...FRESH_PREDOWNLOAD_STATE,
      ...previous,
      siteTag: info.siteTag ?? previous?.siteTag ?? DEFAULT_SITE_TAG,
      neighbors: info.neighbors ?? previous?.neighbors ?? [],
      role: AP_IMAGE_ROLE,
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

  /** A failed AP's retry is called off (a cancelled predownload, a restart): it stays Failed, with its reason and count. */
  callOffRetry(mac: string): AccessPointRecord | null {
    const record = this.fleet.get(mac);
    return record?.predownloadStatus === 'Failed' ? this.save({ ...record, nextRetryTime: null }) : null;
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
    this.changed.mark(record.mac);
    this.store.changed();
    return record;
  }
}
