import type { ImageKind } from '../../lib/capwapEvents';

interface Progress {
  bytes: number;
  total: number;
  startedAt: number;
  /** What the AP already held when it first acknowledged (a resumed transfer); the rate counts only what moved since. */
  startBytes: number | null;
  /** What the AP said it holds as it joined again, its delivery not restarted yet: the bytes stand still until it does. */
  held: boolean;
}

export interface ProgressFigures {
  percent: number;
  etaSeconds: number | null;
  /** When this transfer started moving (its first acknowledgement; until then, when it was offered), epoch ms; null while it waits to resume. */
  startedAt: number | null;
  /** The AP holds `percent` of the image from an interrupted transfer, and its delivery has not restarted yet. */
  waitsToResume: boolean;
}

/**
 * Live per-AP transfer progress, from the bytes each AP acknowledged. Kept in
 * memory: it changes many times a second and means nothing after a restart.
 */
export class TransferProgress {
  private readonly transfers = new Map<string, Progress>();
  /**
   * Bytes moved since the console started: fetched from image servers, and acknowledged by APs (what a
   * resumed transfer already held is not counted again). Counters for GET /metrics and the page's rate.
   */
  readonly moved = { fetchedBytes: 0, deliveredBytes: 0 };

  private key(mac: string, kind: ImageKind): string {
    return `${kind}:${mac}`;
  }

  start(mac: string, kind: ImageKind, total: number): void {
    const held = this.transfers.get(this.key(mac, kind));
    // Until the AP says where it resumes (its first count), it still holds what it said at its join.
    const bytes = held?.held && held.total === total ? held.bytes : 0;
    this.transfers.set(this.key(mac, kind), { bytes, total, startedAt: Date.now(), startBytes: null, held: false });
  }

  /**
   * An AP that joined again holds `bytes` of an image it still needs, from a transfer the controller's restart
   * (or another node's takeover) interrupted: its row shows them, standing still, until its delivery restarts.
   * A transfer under way keeps its own count.
   */
  heldAtJoin(mac: string, kind: ImageKind, bytes: number, total: number): void {
    const current = this.transfers.get(this.key(mac, kind));
    if (current && !current.held) return;
    this.transfers.set(this.key(mac, kind), { bytes, total, startedAt: Date.now(), startBytes: null, held: true });
  }

  update(mac: string, kind: ImageKind, bytes: number): void {
    const progress = this.transfers.get(this.key(mac, kind));
    if (!progress) return;
    if (progress.startBytes === null) {
      progress.startBytes = bytes;
      progress.startedAt = Date.now();
    } else if (bytes > progress.bytes) this.moved.deliveredBytes += bytes - progress.bytes;
    progress.bytes = bytes;
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
    const elapsed = (Date.now() - progress.startedAt) / 1000;
    const remaining = progress.total - progress.bytes;
    const etaSeconds = remaining <= 0 ? 0 : moved > 0 && elapsed > 0 ? Math.ceil(remaining / (moved / elapsed)) : null;
    if (progress.held) return { percent: Math.round(percent * 10) / 10, etaSeconds: null, startedAt: null, waitsToResume: true };
    return { percent: Math.round(percent * 10) / 10, etaSeconds, startedAt: progress.startedAt, waitsToResume: false };
  }
}
