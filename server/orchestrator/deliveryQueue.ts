import type { ImageKind } from '../../lib/capwapEvents';
import { imageKey } from './imageKey';

/** One image waiting for a delivery slot to its AP. */
export interface QueuedDelivery<T> {
  mac: string;
  /** Which of the AP's images: the AP hosting the controller may have one flowing while the other waits. */
  kind: ImageKind;
  /** The AP hosting the controller goes first, as on the EWC. */
  priority: boolean;
  item: T;
}

/**
 * At most `maxConcurrent` deliveries run at once; the others wait in order, priority
 * first. Enqueue, start and finish cost O(1), so memory and file handles in flight are
 * bounded by the slot count, not by the fleet.
 */
export class DeliveryQueue<T> {
  private lanes: [QueuedDelivery<T>[], QueuedDelivery<T>[]] = [[], []];
  private readonly heads = [0, 0];
  private running = 0;

  constructor(
    private readonly maxConcurrent: number,
    private readonly start: (delivery: QueuedDelivery<T>) => Promise<void>,
    /** Told after the counts changed (a delivery queued, started or ended, the line emptied), so what shows them follows. */
    private readonly changed: () => void = () => undefined,
  ) {}

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.lanes[0].length - this.heads[0] + this.lanes[1].length - this.heads[1];
  }

  get limit(): number {
    return this.maxConcurrent;
  }

  enqueue(delivery: QueuedDelivery<T>): void {
    this.lanes[delivery.priority ? 0 : 1].push(delivery);
    this.pump();
    this.changed();
  }

  /** Place in line of each waiting image, keyed by `imageKey` (1 is next). O(waiting): for a page of rows, not per event. */
  positions(): Map<string, number> {
    const positions = new Map<string, number>();
    for (const lane of [0, 1] as const) {
      for (let i = this.heads[lane]; i < this.lanes[lane].length; i++) {
        const { mac, kind } = this.lanes[lane][i];
        const key = imageKey(kind, mac);
        if (!positions.has(key)) positions.set(key, positions.size + 1);
      }
    }
    return positions;
  }

  /** Empties the line and returns what was waiting; running deliveries end through their own signal. */
  clear(): QueuedDelivery<T>[] {
    const waiting = [...this.lanes[0].slice(this.heads[0]), ...this.lanes[1].slice(this.heads[1])];
    this.lanes = [[], []];
    this.heads.fill(0);
    this.changed();
    return waiting;
  }

  private pump(): void {
    while (this.running < this.maxConcurrent) {
      const next = this.dequeue();
      if (!next) return;
      this.running += 1;
      void this.start(next)
        // The start function handles its own failures; this only keeps a bug from becoming an unhandled rejection.
        .catch((error: Error) => console.error(`Delivery to ${next.mac} ended with an unexpected error: ${error.message}`))
        .finally(() => {
          this.running -= 1;
          this.pump();
          this.changed();
        });
    }
  }

  private dequeue(): QueuedDelivery<T> | null {
    for (const lane of [0, 1] as const) {
      if (this.heads[lane] < this.lanes[lane].length) {
        const next = this.lanes[lane][this.heads[lane]];
        this.heads[lane] += 1;
        // Drop consumed entries once they are most of the lane, so a long run does not keep them all.
        if (this.heads[lane] > 1024 && this.heads[lane] * 2 > this.lanes[lane].length) {
          this.lanes[lane] = this.lanes[lane].slice(this.heads[lane]);
          this.heads[lane] = 0;
        }
        return next;
      }
    }
    return null;
  }
}
