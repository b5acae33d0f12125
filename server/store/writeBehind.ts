import type { FleetStore } from './fleetStore';

/** One kind of pending change: `write` runs its prepared statements, `committed` forgets what was written. */
export interface PendingWrites {
  write(): void;
  committed(): void;
}

/**
 * The database behind the in-memory fleet: changes are collected and written in one
 * transaction per short tick, so thousands of transitions a second cost a few commits,
 * not thousands. A failed commit forgets nothing: the next tick writes it again.
 */
export class WriteBehind {
  private readonly pending: PendingWrites[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly database: FleetStore,
    private readonly tickMs: number,
  ) {}

  register(writes: PendingWrites): void {
    this.pending.push(writes);
  }

  /** Something changed: write it at the next tick. */
  changed(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        this.flush();
      } catch (error) {
        // The changes stay pending; the next change schedules another try.
        console.error(`Store: writing the fleet state failed, will retry: ${(error as Error).message}`);
      }
    }, this.tickMs);
  }

  /** Writes everything pending now, in one transaction. */
  flush(): void {
    this.transaction(() => undefined);
  }

  /** Runs a state change and writes it, with everything pending, in the same transaction. */
  transaction<T>(change: () => T): T {
    const result = this.database.transaction(() => {
      const value = change();
      for (const writes of this.pending) writes.write();
      return value;
    });
    for (const writes of this.pending) writes.committed();
    return result;
  }

  /** Writes what is pending and stops ticking; call before the database closes. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flush();
    this.closed = true;
  }
}
