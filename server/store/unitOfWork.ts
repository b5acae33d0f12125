import type { Executor, Store } from './store';

/** What one projection has to write: taken at the start of a flush, written in its transaction. */
export interface PendingBatch {
  write(tx: Executor): Promise<void>;
  /** The transaction committed (optional: most sources have nothing left to do). */
  committed?(): void;
  /** The transaction failed: what was taken is pending again, under anything that changed since. */
  restore(): void;
}

/** A projection with changes to write behind it (the fleet, the event log, the upgrade, its run, rollout, schedules…). */
export interface PendingSource {
  /** Everything pending now, taken synchronously (so all sources are taken at one instant); null when nothing is. */
  take(): PendingBatch | null;
}

/**
 * The write-behind unit of work. Projections change in memory and register here what they changed;
 * a short tick (or a `flush()`) takes everything pending from every source at one instant and writes it
 * in one transaction, so thousands of transitions a second cost a few commits, and rows that belong
 * together (an AP's status and the log line that announces it) are never written apart. Sources are
 * written in the order they registered: a table is written after those its foreign keys point to.
 * A failed commit forgets nothing: what was taken is restored and written again at the next tick.
 * Flushes run one after the other; a flush resolves once what was pending when it was called is committed.
 */
export class UnitOfWork {
  private readonly sources: PendingSource[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private tail: Promise<void> = Promise.resolve();
  private registered = 0;

  constructor(
    private readonly store: Store,
    private readonly tickMs: number,
  ) {}

  register(source: PendingSource): void {
    this.sources.push(source);
  }

  /**
   * How many changes the projections have registered so far. A reader whose reads await (the database, then the
   * projections) compares it before and after: unchanged, nothing it read moved in between.
   */
  get changes(): number {
    return this.registered;
  }

  /** Something changed: write it at the next tick. */
  changed(): void {
    this.registered += 1;
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((error: Error) => console.error(`Store: writing the console's state failed, will retry: ${error.message}`));
    }, this.tickMs);
  }

  /** Writes everything pending now, in one transaction; rejects (with everything still pending) when the commit fails. */
  flush(): Promise<void> {
    const run = this.tail.then(() => this.writePending());
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Writes what is pending and stops ticking; call before the store closes. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.closed = true;
    await this.flush();
  }

  private async writePending(): Promise<void> {
    const batches = this.sources.flatMap((source) => source.take() ?? []);
    if (batches.length === 0) return;
    try {
      await this.store.transaction(async (tx) => {
        for (const batch of batches) await batch.write(tx);
      });
    } catch (error) {
      for (const batch of batches) batch.restore();
      // Pending again: another try at the next tick.
      this.changed();
      throw error;
    }
    for (const batch of batches) batch.committed?.();
  }
}

/**
 * The usual pending source of a projection held by key: the keys of the records it changed since the last
 * take, written as the records are at the instant of the take (a record changed again meanwhile waits for
 * the next). Register it with the unit of work, and `mark` a key whenever its record changes.
 */
export class ChangedRecords<K, R> implements PendingSource {
  private changed = new Set<K>();

  constructor(
    private readonly current: (key: K) => R | undefined,
    private readonly write: (tx: Executor, records: R[]) => Promise<void>,
  ) {}

  mark(key: K): void {
    this.changed.add(key);
  }

  take(): PendingBatch | null {
    if (this.changed.size === 0) return null;
    const taken = this.changed;
    this.changed = new Set();
    const records = [...taken].flatMap((key) => {
      const record = this.current(key);
      return record === undefined ? [] : [record];
    });
    return {
      write: (tx) => this.write(tx, records),
      restore: () => {
        for (const key of taken) this.changed.add(key);
      },
    };
  }
}
