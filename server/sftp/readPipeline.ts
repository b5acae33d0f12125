import type { FileHandle } from 'node:fs/promises';

/** One SSH connection with the remote file open: where read requests go. */
export interface ReadLane {
  read(buffer: Buffer, offset: number, length: number, position: number, done: (error: unknown, bytesRead: number) => void): void;
  /** Rejects when the connection drops. */
  broken: Promise<never>;
  /** Turns an ssh2 failure into the error the caller will see. */
  classify(error: unknown): PipelineError;
  /** Drops the connection at once, so that no late answer lands in a buffer we already reused. */
  abort(): void;
  /** `performance.now()` of the last bytes the server sent on this connection. */
  lastActivity(): number;
}

export interface PipelineError extends Error {
  readonly code: string;
}

export interface PipelineInput {
  local: FileHandle;
  size: number;
  /** Bytes already in the destination; reading starts here. */
  from: number;
  chunkSize: number;
  /** Read requests outstanding over all lanes together. */
  concurrency: number;
  /** A connection with reads outstanding that receives nothing for this long is retired. */
  timeoutMs: number;
  onProgress?: (bytesWritten: number, totalBytes: number) => void;
  /** Builds the errors the pipeline raises on its own. */
  errors: { timeout(): PipelineError; cancelled(): PipelineError; io(reason: string): PipelineError };
  signal?: AbortSignal;
}

interface Slot {
  offset: number;
  length: number;
  buffer: Buffer;
  filled: number;
  lane: ReadLane | null;
  issuedAt: number;
}

const PROGRESS_INTERVAL_MS = 100;
/** Contiguous completed reads handed to one writev call. */
const MAX_WRITE_BATCH = 16;
/**
 * Completed reads wait until this much is ready in order (or a quarter of what may be in flight, or the
 * rest of the file) before they are written: each write is a round trip through Node's thread pool (two
 * thread wake-ups), and writing each 255 KiB read as it completed cost a tenth more CPU per MB on loopback.
 */
const MIN_WRITE_BYTES = 1024 * 1024;

/**
 * Keeps `concurrency` reads in flight, spread over one or more connections, and appends completed
 * reads to the file strictly in order, so the file is always an exact prefix that a later attempt can
 * resume. A buffer is only reused once written: memory stays at concurrency × chunkSize whatever the size.
 */
export class ReadPipeline {
  private readonly lanes: ReadLane[] = [];
  private readonly slots: Slot[] = [];
  private readonly spare: Buffer[] = [];
  private nextOffset: number;
  private written: number;
  private writing: Promise<void> | null = null;
  private finished = false;
  private lastProgress = 0;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private settle: (error: PipelineError | null) => void = () => undefined;

  constructor(private readonly input: PipelineInput) {
    this.nextOffset = input.from;
    this.written = input.from;
  }

  run(first: ReadLane): Promise<void> {
    const { signal, timeoutMs } = this.input;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => this.finish(this.input.errors.cancelled());
      this.settle = (error) => {
        clearInterval(this.watchdog);
        signal?.removeEventListener('abort', onAbort);
        // Let a write in progress land so that the file stays an exact prefix for the next resume.
        void (this.writing ?? Promise.resolve()).finally(() => (error ? reject(error) : resolve()));
      };
      if (signal?.aborted) return this.finish(this.input.errors.cancelled());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.watchdog = setInterval(() => this.checkDeadlines(), Math.max(50, Math.min(1_000, timeoutMs / 4)));
      this.addLane(first);
      this.flush();
    });
  }

  /** Adds a connection; false when the download no longer needs it. */
  addLane(lane: ReadLane): boolean {
    if (this.finished) return false;
    this.lanes.push(lane);
    lane.broken.catch((error: PipelineError) => this.retire(lane, error));
    this.fill();
    return true;
  }

  private finish(error: PipelineError | null): void {
    if (this.finished) return;
    this.finished = true;
    this.settle(error);
  }

  /** Moves a failed connection's reads to the others; the download fails only with the last one. */
  private retire(lane: ReadLane, error: PipelineError): void {
    const index = this.lanes.indexOf(lane);
    if (index < 0 || this.finished) return;
    this.lanes.splice(index, 1);
    lane.abort();
    if (this.lanes.length === 0) return this.finish(error);
    for (const slot of this.slots) {
      if (slot.lane !== lane || slot.filled === slot.length) continue;
      // The old buffer may still receive a late answer from the dead connection: never reuse it.
      slot.buffer = Buffer.allocUnsafe(this.input.chunkSize);
      slot.filled = 0;
      this.issue(slot);
    }
  }

  /** A lost connection is the lane's problem; any other answer (say, permission denied) is the file's. */
  private fail(lane: ReadLane, error: PipelineError): void {
    if (error.code === 'connection' || error.code === 'timeout') this.retire(lane, error);
    else this.finish(error);
  }

  /**
   * A read's deadline runs from whichever is later: its request, or the last bytes its connection
   * received. Timing each read from its request alone would fail a slow but steady link, where the
   * 64th read in the queue legitimately waits for the 63 before it.
   */
  private checkDeadlines(): void {
    const now = performance.now();
    for (const lane of [...this.lanes]) {
      let oldest = Infinity;
      for (const slot of this.slots) if (slot.lane === lane && slot.filled < slot.length) oldest = Math.min(oldest, slot.issuedAt);
      if (oldest !== Infinity && now - Math.max(oldest, lane.lastActivity()) > this.input.timeoutMs) this.retire(lane, this.input.errors.timeout());
    }
  }

  private pickLane(): ReadLane {
    let best = this.lanes[0];
    let bestLoad = Infinity;
    for (const lane of this.lanes) {
      let load = 0;
      for (const slot of this.slots) if (slot.lane === lane && slot.filled < slot.length) load += 1;
      if (load < bestLoad) {
        best = lane;
        bestLoad = load;
      }
    }
    return best;
  }

  private issue(slot: Slot): void {
    // Retiring a lane re-issues its reads; one of those may retire the last lane and end everything.
    if (this.finished) return;
    const lane = this.pickLane();
    slot.lane = lane;
    slot.issuedAt = performance.now();
    const buffer = slot.buffer;
    try {
      lane.read(buffer, slot.filled, slot.length - slot.filled, slot.offset + slot.filled, (error, bytesRead) => {
        if (this.finished || slot.lane !== lane || slot.buffer !== buffer) return;
        if (error) return this.fail(lane, lane.classify(error));
        if (bytesRead === 0) return this.finish(this.input.errors.io('File changed on the server during the download'));
        slot.filled += bytesRead;
        // Servers may answer with fewer bytes than asked; ask again for the rest of this slot.
        if (slot.filled < slot.length) this.issue(slot);
        else this.flush();
      });
    } catch (error) {
      this.fail(lane, lane.classify(error));
    }
  }

  private fill(): void {
    const { concurrency, chunkSize, size } = this.input;
    while (!this.finished && this.slots.length < concurrency && this.nextOffset < size) {
      const length = Math.min(chunkSize, size - this.nextOffset);
      const buffer = this.spare.pop() ?? Buffer.allocUnsafe(chunkSize);
      const slot: Slot = { offset: this.nextOffset, length, buffer, filled: 0, lane: null, issuedAt: 0 };
      this.nextOffset += length;
      this.slots.push(slot);
      this.issue(slot);
    }
  }

  private flush(): void {
    if (this.writing || this.finished) return;
    const { slots } = this;
    let count = 0;
    let ready = 0;
    while (count < slots.length && count < MAX_WRITE_BATCH && slots[count].filled === slots[count].length) {
      ready += slots[count].length;
      count += 1;
    }
    if (count === 0) {
      if (this.written === this.input.size) {
        this.report(true);
        this.finish(null);
      }
      return;
    }
    // The reads after these are in flight, and call this again as each completes.
    const { concurrency, chunkSize } = this.input;
    if (count < slots.length && count < MAX_WRITE_BATCH && ready < Math.min(MIN_WRITE_BYTES, (concurrency * chunkSize) / 4)) return;
    const batch = slots.splice(0, count);
    const bytes = batch.reduce((sum, slot) => sum + slot.length, 0);
    this.writing = writeAll(
      this.input.local,
      batch.map((slot) => slot.buffer.subarray(0, slot.length)),
      this.written,
    ).then(
      () => {
        this.writing = null;
        this.written += bytes;
        for (const slot of batch) this.spare.push(slot.buffer);
        this.report(false);
        this.fill();
        this.flush();
      },
      (error: unknown) => {
        this.writing = null;
        this.finish(this.input.errors.io(`Cannot write the destination file (${(error as NodeJS.ErrnoException).code ?? 'I/O error'})`));
      },
    );
  }

  private report(force: boolean): void {
    const { onProgress, size } = this.input;
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = now;
    onProgress(this.written, size);
  }
}

/** writev may stop short (a full disk, a signal): finish the batch or fail. */
async function writeAll(local: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let pending = buffers;
  let at = position;
  while (pending.length > 0) {
    const { bytesWritten } = await local.writev(pending, at);
    if (bytesWritten === 0) throw Object.assign(new Error('Short write'), { code: 'EIO' });
    at += bytesWritten;
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const buffer of pending) {
      if (skip >= buffer.length) skip -= buffer.length;
      else {
        rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
        skip = 0;
      }
    }
    pending = rest;
  }
}
