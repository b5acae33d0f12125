import type { EventLine } from '../store/eventLog';

/**
 * Counts what the controller drops (refused joins, AP log lines over the limit) so that a
 * flood becomes two log lines, not thousands: the first of a burst is written at once,
 * the count of the rest once at the end of the window. Nothing is dropped silently.
 */
export class DropReport {
  private readonly bursts = new Map<string, { count: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly write: (line: EventLine) => void,
    private readonly windowMs = 5000,
  ) {}

  drop(key: string, first: () => EventLine, summary: (more: number) => EventLine): void {
    const burst = this.bursts.get(key);
    if (burst) {
      burst.count += 1;
      return;
    }
    this.write(first());
    const timer = setTimeout(() => {
      const ended = this.bursts.get(key);
      this.bursts.delete(key);
      if (ended && ended.count > 0) this.write(summary(ended.count));
    }, this.windowMs);
    timer.unref();
    this.bursts.set(key, { count: 0, timer });
  }

  dispose(): void {
    for (const { timer } of this.bursts.values()) clearTimeout(timer);
    this.bursts.clear();
  }
}

/** At most `limit` events per second, counted in one-second windows. */
export class RateWindow {
  private windowStart = 0;
  private used = 0;

  constructor(private readonly limit: number) {}

  take(now = Date.now()): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }
}
