import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Settings, TftpNegotiated } from './negotiation';
import { loadProblem, loadUdpSync, type UdpSocket } from './nativeUdp';
import { DATA_HEADER_BYTES, ErrorCode } from './packets';
import { OptionsRefused, TftpError, ioError } from './tftpErrors';
import { PROGRESS_INTERVAL_MS, RECV_BUFFER_BYTES, bindAddress, type Endpoint } from './transfer';
import { TransferMachine, type TransferIo } from './transferMachine';

// The blocking engine: runs in a worker thread, one transfer at a time, with the per-packet loop
// on synchronous syscalls (native/udp-sync) and synchronous file writes, and every protocol
// decision left to the same TransferMachine as the event-driven engine.

export interface NativeJob {
  settings: Omit<Settings, 'signal' | 'onProgress'>;
  server: Endpoint;
  fd: number;
  withOptions: boolean;
  /** Int32Array[1] over a SharedArrayBuffer; the main thread sets it to 1 to cancel. */
  abort: Int32Array;
}

export type SerializedError =
  | { kind: 'tftp'; code: TftpError['code']; reason: string; serverErrorCode: number | null }
  | { kind: 'options-refused'; message: string }
  | { kind: 'other'; message: string; stack: string | undefined };

export type WorkerMessage =
  | { type: 'progress'; written: number; total: number | null }
  | { type: 'done'; negotiated: TftpNegotiated; bytes: number }
  | { type: 'error'; error: SerializedError }
  /** The dally is over and the socket closed: the worker can take the next job. */
  | { type: 'idle' };

// Writes are batched like BlockWriter's: never more than this waits in memory.
const BATCH_BYTES = 1024 * 1024;
// Right after an ACK the server needs a while (a round trip, or sending a new window) before
// there is anything to receive: a batch of at least this much is written then, in time otherwise
// spent waiting. Written only when full, a MiB (~0.4 ms to tmpfs) held our ACK back while the
// server, its window sent, waited for it; 64 KiB (~25 us) fits in the ~100 us the server takes to
// send 16 blocks of 1468 bytes, and costs the lock-step rows nothing either.
const AFTER_ACK_FLUSH_BYTES = 64 * 1024;
// Any UDP datagram fits, so an oversized DATA is seen whole and reported with its real size.
const RECV_ROOM = 65536;
// How long a recv may block before the loop looks at the abort flag again.
const ABORT_POLL_MS = 50;
// Same while dallying, shorter: a worker stuck in a syscall cannot be terminated, and the
// process cannot exit before its workers have.
const DALLY_POLL_MS = 10;
// Polling before sleeping, a few loopback round trips (tftpd-hpa takes ~100 us to answer with a
// 64 KiB block): a sleeping thread's wake-up (in a VM, its halted vCPU's) costs as much as the
// round trip itself, and lock-step pays it on every block.
const SPIN_MICROS = 150;

const port = parentPort;
if (!port) throw new Error('nativeWorker.ts runs only as a worker thread');
export interface NativeWorkerData {
  addonPath: string;
}

const addon = loadUdpSync((workerData as NativeWorkerData).addonPath);
if (!addon) throw new Error(loadProblem());

function post(message: WorkerMessage): void {
  port!.postMessage(message);
}

function serialize(e: unknown): SerializedError {
  if (e instanceof TftpError) return { kind: 'tftp', code: e.code, reason: e.reason, serverErrorCode: e.serverErrorCode };
  if (e instanceof OptionsRefused) return { kind: 'options-refused', message: e.message };
  return { kind: 'other', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
}

/**
 * Datagrams are received straight into the write batch: DATA n's header lands on the last 4
 * bytes of block n-1, which are saved before and put back after, so an accepted payload is
 * already where writeSync takes it from and no byte is copied in user space.
 */
class BlockingTransfer implements TransferIo {
  private readonly batch = Buffer.allocUnsafe(DATA_HEADER_BYTES + BATCH_BYTES + 2 * RECV_ROOM);
  // Payload bytes waiting in `batch`, from offset DATA_HEADER_BYTES on.
  private fill = 0;
  private position = 0;
  private written = 0;
  private lastProgress = 0;
  private negotiated: TftpNegotiated | null = null;
  private failure: unknown = null;
  private readonly source = new Int32Array(2);
  // Something went to the server while handling the last datagram (or timer tick).
  private sent = false;
  private readonly machine: TransferMachine;

  constructor(
    private readonly job: NativeJob,
    private readonly socket: UdpSocket,
  ) {
    this.machine = new TransferMachine({ ...job.settings, signal: undefined, onProgress: undefined }, job.withOptions, this);
  }

  run(): void {
    const { machine, socket, job } = this;
    socket.bind(bindAddress(job.server), 0);
    socket.setPeer(job.server.address);
    socket.setSpin(SPIN_MICROS);
    let now = Date.now();
    machine.start(now);
    let deadline = now + job.settings.timeoutMs;
    while (machine.phase === 'request' || machine.phase === 'data') {
      if (Atomics.load(job.abort, 0) !== 0) {
        machine.cancel();
        break;
      }
      this.receive(Math.min(deadline - now, ABORT_POLL_MS));
      now = Date.now();
      if (now >= deadline) {
        const wait = machine.onTimer(now);
        if (wait >= 0) deadline = now + wait;
      }
      if (this.fill >= BATCH_BYTES || (this.sent && this.fill >= AFTER_ACK_FLUSH_BYTES) || (this.fill > 0 && now - this.lastProgress >= PROGRESS_INTERVAL_MS)) this.flush(now);
      this.sent = false;
    }
    if (machine.phase === 'dally') {
      this.flush(now);
      if (machine.phase === 'dally') {
        post({ type: 'done', negotiated: this.negotiated!, bytes: this.written });
        this.dally(now + job.settings.timeoutMs);
        return;
      }
    }
    post({ type: 'error', error: serialize(this.failure) });
  }

  /** Stays on the port for one timeout to re-ACK the last block if our final ACK was lost. */
  private dally(until: number): void {
    for (let now = Date.now(); now < until && this.machine.phase === 'dally'; now = Date.now()) this.receive(Math.min(until - now, DALLY_POLL_MS));
  }

  private receive(waitMs: number): void {
    const { batch, fill, source } = this;
    const saved = batch.readInt32LE(fill);
    const n = this.socket.recv(batch, fill, RECV_ROOM, Math.max(0, Math.ceil(waitMs)), source);
    if (n < 0) return;
    this.machine.onPacket(batch.subarray(fill, fill + n), source[0]!, source[1] === 1, Date.now());
    batch.writeInt32LE(saved, fill);
  }

  private flush(now: number): void {
    if (this.fill > 0) {
      const bytes = this.fill;
      this.fill = 0;
      try {
        const n = fs.writeSync(this.job.fd, this.batch, DATA_HEADER_BYTES, bytes, this.position);
        if (n !== bytes) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
      } catch (e) {
        this.machine.abort(ioError(e), ErrorCode.DISK_FULL);
        return;
      }
      this.position += bytes;
      this.written += bytes;
    }
    if (now - this.lastProgress >= PROGRESS_INTERVAL_MS) {
      this.lastProgress = now;
      post({ type: 'progress', written: this.written, total: this.negotiated?.tsize ?? null });
    }
  }

  send(packet: Buffer, port: number): void {
    this.socket.send(packet, packet.length, port);
    this.sent = true;
  }

  reply(packet: Buffer): void {
    this.socket.reply(packet, packet.length);
  }

  serverPortLearnt(): void {
    // recv() already tells the server's address apart; the machine compares the port.
  }

  startData(negotiated: TftpNegotiated): void {
    this.negotiated = negotiated;
  }

  append(packet: Buffer): void {
    this.fill += packet.length - DATA_HEADER_BYTES;
  }

  capacityBlocks(): number {
    // Writes are synchronous: the disk is never behind the network here.
    return Number.MAX_SAFE_INTEGER;
  }

  complete(): void {
    // The loop sees the 'dally' phase, writes what is left and reports.
  }

  fail(error: Error): void {
    this.failure = error;
  }
}

port.on('message', (job: NativeJob) => {
  let socket: UdpSocket | null = null;
  try {
    socket = new addon.UdpSocket(job.server.family, RECV_BUFFER_BYTES);
    new BlockingTransfer(job, socket).run();
  } catch (e) {
    // A failing syscall: the transfer is over, like an 'error' event in the event-driven engine.
    post({ type: 'error', error: serialize(e instanceof TftpError ? e : ioError(e)) });
  } finally {
    socket?.close();
  }
  post({ type: 'idle' });
});
