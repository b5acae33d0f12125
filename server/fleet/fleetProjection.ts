import type { PredownloadStatus } from '../../lib/predownloadStatus';
import type { AccessPointRecord } from './accessPoint';

/** Read access to the fleet, for views and queries. */
export interface FleetReader {
  readonly size: number;
  get(mac: string): AccessPointRecord | undefined;
  values(): IterableIterator<AccessPointRecord>;
  /** Every AP's MAC ordered by AP name (then MAC); cached until an AP joins, leaves or is renamed. */
  macsByName(): readonly string[];
  count(status: PredownloadStatus): number;
  countOfType(imageType: string, status: PredownloadStatus): number;
  countInUpgrade(upgradeId: number, status: PredownloadStatus): number;
  /** The image types of the fleet, each with at least one AP. */
  imageTypes(): string[];
}

const byNameThenMac = (a: AccessPointRecord, b: AccessPointRecord) => a.name.localeCompare(b.name, 'en', { numeric: true }) || a.mac.localeCompare(b.mac);

/**
 * The fleet in memory, indexed, with counters kept exact on every change, so that
 * a stage check or the page's counters cost O(1) whatever the fleet's size.
 * Records are immutable: a change replaces the record, and the indexes move with it.
 */
export class FleetProjection implements FleetReader {
  private readonly records = new Map<string, AccessPointRecord>();
  private readonly counters = new Map<string, number>();
  private readonly typeSizes = new Map<string, number>();
  private nameOrder: string[] | null = null;

  get size(): number {
    return this.records.size;
  }

  get(mac: string): AccessPointRecord | undefined {
    return this.records.get(mac);
  }

  values(): IterableIterator<AccessPointRecord> {
    return this.records.values();
  }

  /** Inserts or replaces an AP's record. */
  put(record: AccessPointRecord): void {
    const previous = this.records.get(record.mac);
    if (previous) this.index(previous, -1);
    this.records.set(record.mac, record);
    this.index(record, 1);
    if (!previous || previous.name !== record.name) this.nameOrder = null;
  }

  remove(mac: string): void {
    const previous = this.records.get(mac);
    if (!previous) return;
    this.index(previous, -1);
    this.records.delete(mac);
    this.nameOrder = null;
  }

  macsByName(): readonly string[] {
    this.nameOrder ??= [...this.records.values()].sort(byNameThenMac).map((record) => record.mac);
    return this.nameOrder;
  }

  count(status: PredownloadStatus): number {
    return this.counters.get(`s|${status}`) ?? 0;
  }

  countOfType(imageType: string, status: PredownloadStatus): number {
    return this.counters.get(`t|${imageType}|${status}`) ?? 0;
  }

  countInUpgrade(upgradeId: number, status: PredownloadStatus): number {
    return this.counters.get(`u|${upgradeId}|${status}`) ?? 0;
  }

  imageTypes(): string[] {
    return [...this.typeSizes.keys()];
  }

  private index(record: AccessPointRecord, delta: 1 | -1): void {
    const status = record.predownloadStatus;
    this.bump(`s|${status}`, delta);
    this.bump(`t|${record.imageType}|${status}`, delta);
    if (record.upgradeId !== null) this.bump(`u|${record.upgradeId}|${status}`, delta);
    const typeSize = (this.typeSizes.get(record.imageType) ?? 0) + delta;
    if (typeSize === 0) this.typeSizes.delete(record.imageType);
    else this.typeSizes.set(record.imageType, typeSize);
  }

  private bump(key: string, delta: number): void {
    const value = (this.counters.get(key) ?? 0) + delta;
    if (value === 0) this.counters.delete(key);
    else this.counters.set(key, value);
  }
}
