import type { ImageKind } from '../../lib/capwapEvents';
import { imageKey } from './imageKey';

interface Progress {
  bytes: number;
  total: number;
  /** Null for an image delivered before a restart: when its transfer started is not known here. */
  startedAt: number | null;
  /** What the AP already held when it first acknowledged (a resumed transfer); the rate counts only what moved since. */
  startBytes: number | null;
  /**
   * Bytes that stand still until the AP's delivery restarts: what it said it holds as it joined again (`held`), or,
   * before it rejoined a restarted console or a node that took over, the last count it acknowledged that the store
   * kept (`lastAcknowledged`). Null: a transfer under way.
   */
  standing: 'held' | 'lastAcknowledged' | null;
  /** The count last handed to the store (see KEEP_STEP); null until this transfer's first count. */
  keptBytes: number | null;
}

/**
 * A transfer's count is kept in the store at its first count (so a transfer that starts over replaces what an earlier
 * one left), each time it moved another 5 % of the image, and at its end: at most 22 writes per AP and image whatever
 * the link's speed (at 6,000 APs about 132,000 rows over a whole run, written in the unit of work's batched ticks),
 * never one per block. A time-based step would add writes on slow links without adding truth: the kept count is only
 * shown until the AP rejoins and says what it really holds.
 */
export const KEEP_STEP = 0.05;

export interface ProgressFigures {
  percent: number;
  etaSeconds: number | null;
  /** When this transfer started moving (its first acknowledgement; until then, when it was offered), epoch ms; null while it waits to resume. */
  startedAt: number | null;
  /** The AP holds `percent` of the image from an interrupted transfer, and its delivery has not restarted yet. */
  waitsToResume: boolean;
  /** `percent` is the last count the AP acknowledged before a restart or takeover, as kept: it has not rejoined since. */
  lastAcknowledged: boolean;
}

/**
 * Live per-AP transfer progress, from the bytes each AP acknowledged. Held in memory: it changes many times a
 * second; what survives a restart is the count kept every KEEP_STEP, shown as the last acknowledged one.
 */
export class TransferProgress {
  private readonly transfers = new Map<string, Progress>();
  /**
   * Bytes moved since the console started: fetched from image servers, and acknowledged by APs (what a
   * resumed transfer already held is not counted again). Counters for GET /metrics and the page's rate.
   */
  readonly moved = { fetchedBytes: 0, deliveredBytes: 0 };

  private key(mac: string, kind: ImageKind): string {
    return imageKey(kind, mac);
  }

  start(mac: string, kind: ImageKind, total: number): void {
    const held = this.transfers.get(this.key(mac, kind));
    // Until the AP says where it resumes (its first count), it still holds what it said at its join.
    const bytes = held?.standing === 'held' && held.total === total ? held.bytes : 0;
    this.transfers.set(this.key(mac, kind), { bytes, total, startedAt: Date.now(), startBytes: null, standing: null, keptBytes: null });
  }

  /**
   * An AP that joined again holds `bytes` of an image it still needs, from a transfer the controller's restart
   * (or another node's takeover) interrupted: its row shows them, standing still, until its delivery restarts.
   * A transfer under way keeps its own count.
   */
  heldAtJoin(mac: string, kind: ImageKind, bytes: number, total: number): void {
    this.stand(mac, kind, bytes, total, 'held');
  }

  /**
   * After a restart or a takeover, before the AP rejoined: the last count it acknowledged, as the store kept it.
   * Its row shows it for what it is, standing still, until the AP says what it holds (`heldAtJoin`, `rejoinedWithout`).
   */
  lastAcknowledged(mac: string, kind: ImageKind, bytes: number, total: number): void {
    this.stand(mac, kind, bytes, total, 'lastAcknowledged');
  }

  /** After a restart or a takeover: an image the AP received whole and verified before it (its last count kept was the end). */
  deliveredBefore(mac: string, kind: ImageKind, total: number): void {
    this.transfers.set(this.key(mac, kind), { bytes: total, total, startedAt: null, startBytes: total, standing: null, keptBytes: total });
  }

  /** The AP joined again holding none of this image (its storage lost, or never kept): what stood for it goes. */
  rejoinedWithout(mac: string, kind: ImageKind): boolean {
    const key = this.key(mac, kind);
    if (this.transfers.get(key)?.standing == null) return false;
    this.transfers.delete(key);
    return true;
  }

  private stand(mac: string, kind: ImageKind, bytes: number, total: number, standing: 'held' | 'lastAcknowledged'): void {
    const current = this.transfers.get(this.key(mac, kind));
    // A transfer under way keeps its own count.
    if (current && current.standing === null) return;
    this.transfers.set(this.key(mac, kind), { bytes, total, startedAt: Date.now(), startBytes: null, standing, keptBytes: bytes });
  }

  /** The AP acknowledged `bytes`. True when the count should be kept in the store: it moved KEEP_STEP of the image since the last one kept. */
  update(mac: string, kind: ImageKind, bytes: number): boolean {
    const progress = this.transfers.get(this.key(mac, kind));
    if (!progress) return false;
    if (progress.startBytes === null) {
      progress.startBytes = bytes;
      progress.startedAt = Date.now();
    } else if (bytes > progress.bytes) this.moved.deliveredBytes += bytes - progress.bytes;
    progress.bytes = bytes;
    if (progress.keptBytes !== null && Math.abs(bytes - progress.keptBytes) < progress.total * KEEP_STEP) return false;
    progress.keptBytes = bytes;
    return true;
  }

  complete(mac: string, kind: ImageKind): void {
    const progress = this.transfers.get(this.key(mac, kind));
    if (progress) progress.bytes = progress.total;
  }

  /** A fetch's progress callback that counts the bytes each call adds to the first (where the transfer started). */
  fetchCounter(): (bytes: number) => void {
    let last: number | null = null;
    return (bytes) => {
      if (last !== null && bytes > last) this.moved.fetchedBytes += bytes - last;
      last = bytes;
    };
  }

  clear(mac: string): void {
    this.transfers.delete(this.key(mac, 'ap'));
    this.transfers.delete(this.key(mac, 'controller'));
  }

  clearAll(): void {
    this.transfers.clear();
  }

  figures(mac: string, kind: ImageKind): ProgressFigures | null {
    const progress = this.transfers.get(this.key(mac, kind));
    if (!progress) return null;
    const percent = progress.total === 0 ? 100 : Math.min(100, (progress.bytes / progress.total) * 100);
    const moved = progress.bytes - (progress.startBytes ?? 0);
    const elapsed = progress.startedAt === null ? 0 : (Date.now() - progress.startedAt) / 1000;
    const remaining = progress.total - progress.bytes;
    const etaSeconds = remaining <= 0 ? 0 : moved > 0 && elapsed > 0 ? Math.ceil(remaining / (moved / elapsed)) : null;
    if (progress.standing !== null)
      return { percent: Math.round(percent * 10) / 10, etaSeconds: null, startedAt: null, waitsToResume: true, lastAcknowledged: progress.standing === 'lastAcknowledged' };
    return { percent: Math.round(percent * 10) / 10, etaSeconds, startedAt: progress.startedAt, waitsToResume: false, lastAcknowledged: false };
  }
}
