import dgram from 'node:dgram';
import { BlockWriter } from './blockWriter';
import type { Settings, TftpNegotiated } from './negotiation';
import { DATA_HEADER_BYTES, ErrorCode } from './packets';
import { ioError } from './tftpErrors';
import { TransferMachine, type TransferIo } from './transferMachine';

export interface Endpoint {
  address: string;
  family: 4 | 6;
}

export interface Outcome {
  negotiated: TftpNegotiated;
  bytes: number;
}

/** One RRQ and its transfer, with the socket I/O of an engine; `run(withOptions)` once. */
export interface TransferEngine {
  run(withOptions: boolean): Promise<Outcome>;
}

export const PROGRESS_INTERVAL_MS = 100;
// A whole window of 64 KiB blocks fits, so a burst never overflows the kernel queue.
export const RECV_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * The event-driven engine: one RRQ and the transfer that answers it, on its own local port (its
 * own TID), with every protocol decision left to `TransferMachine`.
 *
 * Two sockets share that port: `listener` sends the RRQ, hears the first reply and answers
 * strangers with ERROR 5; once the server's TID is known, `peer` is connected to it, so the
 * kernel hands it the server's packets and sends on it skip the per-datagram address handling.
 */
export class Transfer implements TransferEngine, TransferIo {
  private readonly listener: dgram.Socket;
  private peer: dgram.Socket | null = null;
  private peerReady = false;
  private closed = false;
  private machine: TransferMachine | null = null;
  private negotiated: TftpNegotiated | null = null;
  private writer: BlockWriter | null = null;
  // The sender of the datagram being handled, for `reply`.
  private source: dgram.RemoteInfo | null = null;
  private lastProgressReport = 0;
  private timer: NodeJS.Timeout | null = null;
  private settle: { ok: (outcome: Outcome) => void; ko: (e: unknown) => void } | null = null;

  constructor(
    private readonly settings: Settings,
    private readonly server: Endpoint,
    private readonly fd: number,
  ) {
    this.listener = this.createSocket();
  }

  run(withOptions: boolean): Promise<Outcome> {
    const machine = new TransferMachine(this.settings, withOptions, this);
    this.machine = machine;
    return new Promise<Outcome>((ok, ko) => {
      this.settle = { ok, ko };
      this.settings.signal?.addEventListener('abort', this.onAbort);
      this.listener.bind({ port: 0, address: bindAddress(this.server) }, () => {
        if (machine.phase === 'closed') return;
        machine.start(Date.now());
        this.timer = setTimeout(this.onTimer, this.settings.timeoutMs);
      });
    });
  }

  send(packet: Buffer, port: number): void {
    if (this.closed) return;
    if (this.peerReady) this.peer!.send(packet);
    else this.listener.send(packet, port, this.server.address);
  }

  reply(packet: Buffer): void {
    const source = this.source;
    if (source && !this.closed) this.listener.send(packet, source.port, source.address);
  }

  serverPortLearnt(port: number): void {
    const peer = this.createSocket();
    this.peer = peer;
    peer.bind({ port: this.listener.address().port, address: bindAddress(this.server) }, () => {
      if (this.closed) return;
      peer.connect(port, this.server.address, () => {
        if (!this.closed) this.peerReady = true;
      });
    });
  }

  startData(negotiated: TftpNegotiated): void {
    this.negotiated = negotiated;
    this.writer = new BlockWriter(this.fd, negotiated.blksize, negotiated.windowsize, this.onWritten);
  }

  append(packet: Buffer): void {
    this.writer!.append(packet.subarray(DATA_HEADER_BYTES));
  }

  capacityBlocks(): number {
    return this.writer!.capacityBlocks();
  }

  complete(): void {
    void this.completeAsync();
  }

  fail(error: Error): void {
    this.clearTimer();
    this.settings.signal?.removeEventListener('abort', this.onAbort);
    const settle = this.settle;
    this.settle = null;
    // Let the ERROR datagram leave before the sockets go away, and let in-flight writes land
    // before the caller closes and removes the file.
    const writesDone = this.writer ? this.writer.settle() : Promise.resolve();
    setImmediate(() => this.closeSockets());
    void writesDone.then(() => settle?.ko(error));
  }

  private createSocket(): dgram.Socket {
    // reuseAddr lets the connected `peer` share the listener's port.
    const socket = dgram.createSocket({ type: this.server.family === 6 ? 'udp6' : 'udp4', reuseAddr: true, recvBufferSize: RECV_BUFFER_BYTES });
    socket.on('message', this.onMessage);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A connected socket hears the ICMP port-unreachable of a server that went away. Like a
      // lost packet, that is for the retransmission timer to judge, ending in `Timed out`.
      if (e.code !== 'ECONNREFUSED') this.machine?.fail(ioError(e));
    });
    return socket;
  }

  private readonly onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
    this.source = rinfo;
    this.machine!.onPacket(msg, rinfo.port, rinfo.address === this.server.address, Date.now());
    this.source = null;
  };

  private readonly onWritten = (): void => {
    const writer = this.writer!;
    const machine = this.machine!;
    if (writer.error) {
      machine.abort(writer.error, ErrorCode.DISK_FULL);
      return;
    }
    const now = Date.now();
    machine.onDiskProgress(now);
    if (this.settings.onProgress && now - this.lastProgressReport >= PROGRESS_INTERVAL_MS) {
      this.lastProgressReport = now;
      this.settings.onProgress(writer.written, this.negotiated!.tsize);
    }
  };

  private readonly onTimer = (): void => {
    this.timer = null;
    const wait = this.machine!.onTimer(Date.now());
    if (wait >= 0) this.timer = setTimeout(this.onTimer, wait);
  };

  private readonly onAbort = (): void => {
    this.machine!.cancel();
  };

  private async completeAsync(): Promise<void> {
    this.clearTimer();
    this.settings.signal?.removeEventListener('abort', this.onAbort);
    const writer = this.writer!;
    await writer.settle();
    if (writer.error) {
      this.machine!.fail(writer.error);
      return;
    }
    this.settings.onProgress?.(writer.written, this.negotiated!.tsize);
    // Stay around (without holding the process open) to re-ACK the last block if our ACK was lost.
    this.listener.unref();
    this.peer?.unref();
    setTimeout(() => this.closeSockets(), this.settings.timeoutMs).unref();
    const settle = this.settle;
    this.settle = null;
    settle?.ok({ negotiated: this.negotiated!, bytes: writer.written });
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private closeSockets(): void {
    this.closed = true;
    this.peerReady = false;
    for (const socket of [this.listener, this.peer]) {
      try {
        socket?.close();
      } catch {
        // Already closed: both the dally timer and an error path may get here.
      }
    }
  }
}

export function bindAddress(server: Endpoint): string {
  if (server.family === 6) return server.address === '::1' ? '::1' : '::';
  return server.address.startsWith('127.') ? '127.0.0.1' : '0.0.0.0';
}
