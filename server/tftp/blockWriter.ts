import fs from 'node:fs';
import { ioError, type TftpError } from './tftpErrors';

// A batch is written once it reaches this size; big enough that syscalls and thread-pool
// hand-offs stay rare at blksize 512, small enough that memory stays flat.
const BATCH_BYTES = 1024 * 1024;
// Linux IOV_MAX; libuv would split a longer writev itself, this keeps one syscall per batch.
const MAX_IOV = 1024;

/**
 * Ordered writes of received DATA payloads. Payloads are kept as views of the datagrams Node
 * already allocated and go to disk with one writev per batch, so no byte is copied in user space
 * on its way from the socket to the file.
 */
export class BlockWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private inFlightBytes = 0;
  private position = 0;
  private failure: TftpError | null = null;
  private drained: (() => void) | null = null;
  private readonly maxBufferedBytes: number;
  written = 0;

  constructor(
    private readonly fd: number,
    private readonly blksize: number,
    windowsize: number,
    private readonly onWritten: () => void,
  ) {
    // One batch on its way to disk, one filling, and room for a whole window on top, so that
    // waiting for the disk is needed only when it is really slower than the network.
    this.maxBufferedBytes = 2 * BATCH_BYTES + (windowsize + 1) * blksize;
  }

  get error(): TftpError | null {
    return this.failure;
  }

  /** How many more blocks can be accepted without waiting for the disk. */
  capacityBlocks(): number {
    return Math.max(0, Math.floor((this.maxBufferedBytes - this.pendingBytes - this.inFlightBytes) / this.blksize));
  }

  /** Keeps a reference to `payload`: the caller must not reuse its memory. */
  append(payload: Buffer): void {
    this.pending.push(payload);
    this.pendingBytes += payload.length;
    if (this.inFlightBytes === 0 && (this.pendingBytes >= BATCH_BYTES || this.pending.length >= MAX_IOV)) this.pump();
  }

  /** Resolves once every accepted byte is on disk (or the first write error). */
  settle(): Promise<void> {
    if (this.inFlightBytes === 0) this.pump();
    if (this.inFlightBytes === 0) return Promise.resolve();
    return new Promise((ok) => {
      const earlier = this.drained;
      this.drained = () => {
        earlier?.();
        ok();
      };
    });
  }

  private pump(): void {
    if (this.failure || this.pending.length === 0) {
      this.drained?.();
      this.drained = null;
      return;
    }
    const batch = this.pending.length <= MAX_IOV ? this.pending : this.pending.slice(0, MAX_IOV);
    this.pending = batch === this.pending ? [] : this.pending.slice(MAX_IOV);
    let bytes = 0;
    for (const b of batch) bytes += b.length;
    this.pendingBytes -= bytes;
    this.inFlightBytes = bytes;
    const position = this.position;
    this.position += bytes;
    fs.writev(this.fd, batch, position, (e, n) => {
      this.inFlightBytes = 0;
      if (e || n !== bytes) this.failure = ioError(e ?? Object.assign(new Error('short write'), { code: 'ENOSPC' }));
      else this.written += n;
      this.onWritten();
      if (this.failure || this.drained || this.pendingBytes >= BATCH_BYTES || this.pending.length >= MAX_IOV) this.pump();
    });
  }
}
