import dgram from 'node:dgram';
import { BlockWriter } from './blockWriter';
import { acceptOack, optionRequest, PLAIN_RFC1350, type Settings, type TftpNegotiated } from './negotiation';
import { DATA_HEADER_BYTES, ErrorCode, MalformedPacketError, Opcode, decodeError, decodeOack, encodeAck, encodeError, encodeRequest } from './packets';
import { OptionsRefused, TftpError, cancelled, ioError, protocolError, serverError, timedOut } from './tftpErrors';

export interface Endpoint {
  address: string;
  family: 4 | 6;
}

export interface Outcome {
  negotiated: TftpNegotiated;
  bytes: number;
}

const PROGRESS_INTERVAL_MS = 100;
// A whole window of 64 KiB blocks fits, so a burst never overflows the kernel queue.
const RECV_BUFFER_BYTES = 4 * 1024 * 1024;

type Phase = 'request' | 'data' | 'dally' | 'closed';

/**
 * One RRQ and the transfer that answers it, on its own local port (its own TID).
 *
 * Two sockets share that port: `listener` sends the RRQ, hears the first reply and answers
 * strangers with ERROR 5; once the server's TID is known, `peer` is connected to it, so the
 * kernel hands it the server's packets and sends on it skip the per-datagram address handling.
 */
export class Transfer {
  private readonly listener: dgram.Socket;
  private peer: dgram.Socket | null = null;
  private peerReady = false;
  private phase: Phase = 'request';
  private withOptions = false;
  private request: Buffer = Buffer.alloc(0);
  private serverPort = -1;
  private negotiated: TftpNegotiated = PLAIN_RFC1350;
  private blksize = PLAIN_RFC1350.blksize;
  private windowsize = 1;
  private writer: BlockWriter | null = null;

  // 16-bit block expected next; `rolloverTo` learns whether the server wraps 65535 -> 0 or -> 1.
  private next16 = 1;
  private rolloverTo: 0 | 1 | null = null;
  private lastInOrder16 = 0;
  private blocks = 0;
  private bytes = 0;
  private sinceAck = 0;
  private gapAckedAtBlock = -1;
  private ackDeferred = false;
  private lastAckAt = 0;
  private progressAt = 0;
  private retransmissions = 0;
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
    this.withOptions = withOptions;
    return new Promise<Outcome>((ok, ko) => {
      this.settle = { ok, ko };
      this.settings.signal?.addEventListener('abort', this.onAbort);
      this.listener.bind({ port: 0, address: bindAddress(this.server) }, () => {
        if (this.phase === 'closed') return;
        this.request = encodeRequest(Opcode.RRQ, this.settings.remotePath, 'octet', withOptions ? optionRequest(this.settings) : []);
        this.send(this.request);
        this.progressAt = Date.now();
        // One timer for the whole transfer: packets only move `progressAt`, the timer catches up.
        this.timer = setTimeout(this.onTimer, this.settings.timeoutMs);
      });
    });
  }

  private createSocket(): dgram.Socket {
    // reuseAddr lets the connected `peer` share the listener's port.
    const socket = dgram.createSocket({ type: this.server.family === 6 ? 'udp6' : 'udp4', reuseAddr: true, recvBufferSize: RECV_BUFFER_BYTES });
    socket.on('message', this.onMessage);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A connected socket hears the ICMP port-unreachable of a server that went away. Like a
      // lost packet, that is for the retransmission timer to judge, ending in `Timed out`.
      if (e.code !== 'ECONNREFUSED') this.finish(ioError(e));
    });
    return socket;
  }

  private learnServerPort(port: number): void {
    this.serverPort = port;
    const peer = this.createSocket();
    this.peer = peer;
    peer.bind({ port: this.listener.address().port, address: bindAddress(this.server) }, () => {
      if (this.phase === 'closed') return;
      peer.connect(port, this.server.address, () => {
        if (this.phase !== 'closed') this.peerReady = true;
      });
    });
  }

  private send(packet: Buffer): void {
    if (this.peerReady) this.peer!.send(packet);
    else this.listener.send(packet, this.serverPort < 0 ? this.settings.port : this.serverPort, this.server.address);
  }

  private readonly onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
    if (rinfo.address !== this.server.address || (this.serverPort >= 0 && rinfo.port !== this.serverPort)) {
      // RFC 1350: a stranger's packet must not end or disturb the transfer, only be told off.
      if (this.phase !== 'closed') this.listener.send(encodeError(ErrorCode.UNKNOWN_TID, 'Unknown transfer ID'), rinfo.port, rinfo.address);
      return;
    }
    if (msg.length < 4) return;
    try {
      const opcode = msg.readUInt16BE(0);
      if (opcode === Opcode.DATA) this.onData(msg, rinfo.port);
      else if (opcode === Opcode.OACK) this.onOack(msg, rinfo.port);
      else if (opcode === Opcode.ERROR) this.onError(msg);
      else if (this.phase !== 'dally') this.abortWith(protocolError(`unexpected opcode ${opcode}`), ErrorCode.ILLEGAL_OPERATION);
    } catch (e) {
      if (e instanceof MalformedPacketError) this.abortWith(protocolError(e.message), ErrorCode.ILLEGAL_OPERATION);
      else throw e;
    }
  };

  private onOack(msg: Buffer, port: number): void {
    if (this.phase === 'data' && this.blocks === 0) {
      // Our ACK 0 was lost: the server is repeating its OACK.
      this.resendAckUnlessFresh();
      return;
    }
    if (this.phase !== 'request') return;
    this.learnServerPort(port);
    if (!this.withOptions) {
      this.abortWith(protocolError('OACK to a request without options'), ErrorCode.OPTION_REFUSED);
      return;
    }
    const accepted = acceptOack(this.settings, decodeOack(msg));
    if (typeof accepted === 'string') {
      this.abortWith(protocolError(accepted), ErrorCode.OPTION_REFUSED);
      return;
    }
    this.negotiated = accepted;
    this.startData();
    this.sendAck(0);
  }

  private startData(): void {
    this.phase = 'data';
    this.blksize = this.negotiated.blksize;
    this.windowsize = this.negotiated.windowsize;
    this.writer = new BlockWriter(this.fd, this.blksize, this.windowsize, this.onWritten);
    this.progressAt = Date.now();
    this.retransmissions = 0;
  }

  private onData(msg: Buffer, port: number): void {
    if (this.phase === 'request') {
      // The server ignored our options (or we sent none): RFC 1350 defaults apply.
      this.learnServerPort(port);
      this.startData();
    } else if (this.phase === 'dally') {
      if (msg.readUInt16BE(2) === this.lastInOrder16) this.resendAckUnlessFresh(true);
      return;
    } else if (this.phase !== 'data') {
      return;
    }
    const payload = msg.length - DATA_HEADER_BYTES;
    if (payload > this.blksize) {
      this.abortWith(protocolError(`DATA block of ${payload} bytes exceeds the negotiated blksize ${this.blksize}`), ErrorCode.ILLEGAL_OPERATION);
      return;
    }
    const block = msg.readUInt16BE(2);
    if (block !== this.next16) {
      if (this.next16 === 0 && this.rolloverTo === null && block === 1) {
        this.rolloverTo = 1;
      } else {
        this.onOutOfOrder(block);
        return;
      }
    } else if (block === 0) {
      this.rolloverTo = 0;
    }
    const writer = this.writer!;
    // A server that overruns the window while the disk lags: drop, it will resend after our ACK.
    if (writer.capacityBlocks() === 0) return;
    this.bytes += payload;
    const tsize = this.negotiated.tsize;
    if (tsize !== null && this.bytes > tsize) {
      this.abortWith(protocolError(`received more than the announced tsize of ${tsize} bytes`), ErrorCode.ILLEGAL_OPERATION);
      return;
    }
    this.blocks++;
    this.lastInOrder16 = block;
    this.next16 = block === 0xffff ? (this.rolloverTo ?? 0) : block + 1;
    this.progressAt = Date.now();
    this.retransmissions = 0;
    if (payload < this.blksize) {
      if (tsize !== null && this.bytes !== tsize) {
        this.abortWith(protocolError(`transfer ended after ${this.bytes} bytes, announced tsize was ${tsize}`), ErrorCode.ILLEGAL_OPERATION);
        return;
      }
      this.sendAck(block, true);
      writer.append(msg.subarray(DATA_HEADER_BYTES));
      void this.complete();
      return;
    }
    // The ACK goes out before the block is queued so the server works on the next window while
    // we do the bookkeeping; a deferred ACK (disk behind) still sees this block as accepted.
    if (++this.sinceAck >= this.windowsize) this.sendAck(block, false, 1);
    writer.append(msg.subarray(DATA_HEADER_BYTES));
  }

  private onOutOfOrder(block: number): void {
    const ahead = (block - this.next16) & 0xffff;
    if (ahead > 0 && ahead < this.windowsize) {
      // A gap (RFC 7440): one re-ACK of the last in-order block makes the server resend from there.
      // Further blocks of the same broken window must not trigger more ACKs, or it resends again.
      if (this.gapAckedAtBlock !== this.blocks) {
        this.gapAckedAtBlock = this.blocks;
        this.sendAck(this.lastInOrder16);
      }
      return;
    }
    if (block === this.lastInOrder16) this.resendAckUnlessFresh();
  }

  /**
   * A duplicate of the block we last acknowledged means our ACK was lost, but only if it comes
   * late; an early duplicate is the server's own overlap, and answering it would make the server
   * send the next window twice (Sorcerer's Apprentice).
   */
  private resendAckUnlessFresh(final = false): void {
    if (Date.now() - this.lastAckAt >= this.settings.timeoutMs / 2) this.sendAck(this.lastInOrder16, final);
  }

  /**
   * `final` ACKs invite nothing more, so they never wait for the disk. `unqueued` counts accepted
   * blocks not yet handed to the writer.
   */
  private sendAck(block: number, final = false, unqueued = 0): void {
    // Acknowledging invites a whole window; wait for the disk rather than drop what comes.
    if (!final && this.phase === 'data' && this.writer!.capacityBlocks() - unqueued < this.windowsize) {
      this.ackDeferred = true;
      return;
    }
    this.ackDeferred = false;
    this.sinceAck = 0;
    this.lastAckAt = Date.now();
    // A fresh 4-byte buffer (from Node's pool): a shared one could be rewritten before a send
    // the kernel could not take at once has left.
    this.send(encodeAck(block));
  }

  private readonly onWritten = (): void => {
    const writer = this.writer!;
    if (writer.error) {
      this.abortWith(writer.error, ErrorCode.DISK_FULL);
      return;
    }
    if (this.ackDeferred && this.phase === 'data' && writer.capacityBlocks() >= this.windowsize) this.sendAck(this.lastInOrder16);
    const now = Date.now();
    if (this.settings.onProgress && now - this.lastProgressReport >= PROGRESS_INTERVAL_MS) {
      this.lastProgressReport = now;
      this.settings.onProgress(writer.written, this.negotiated.tsize);
    }
  };

  private onError(msg: Buffer): void {
    if (this.phase === 'dally') return;
    const { code, message } = decodeError(msg);
    if (code === ErrorCode.OPTION_REFUSED && this.phase === 'request' && this.withOptions) {
      this.finish(new OptionsRefused(message));
      return;
    }
    this.finish(serverError(code, message));
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    if (this.phase !== 'request' && this.phase !== 'data') return;
    const idle = Date.now() - this.progressAt;
    if (idle < this.settings.timeoutMs) {
      this.timer = setTimeout(this.onTimer, this.settings.timeoutMs - idle);
      return;
    }
    if (++this.retransmissions > this.settings.retries) {
      this.finish(timedOut());
      return;
    }
    // RFC 7440: on timeout the receiver re-acknowledges the last in-order block.
    if (this.phase === 'request') this.send(this.request);
    else this.sendAck(this.lastInOrder16);
    this.progressAt = Date.now();
    this.timer = setTimeout(this.onTimer, this.settings.timeoutMs);
  };

  private readonly onAbort = (): void => {
    this.abortWith(cancelled(), ErrorCode.NOT_DEFINED, 'Transfer cancelled');
  };

  private async complete(): Promise<void> {
    this.phase = 'dally';
    this.clearTimer();
    this.settings.signal?.removeEventListener('abort', this.onAbort);
    const writer = this.writer!;
    await writer.settle();
    if (writer.error) {
      this.finish(writer.error);
      return;
    }
    this.settings.onProgress?.(writer.written, this.negotiated.tsize);
    // Stay around (without holding the process open) to re-ACK the last block if our ACK was lost.
    this.listener.unref();
    this.peer?.unref();
    setTimeout(() => this.closeSockets(), this.settings.timeoutMs).unref();
    const settle = this.settle;
    this.settle = null;
    settle?.ok({ negotiated: this.negotiated, bytes: writer.written });
  }

  /** Ends the transfer with an error the server should hear about too. */
  private abortWith(error: TftpError, code: number, message = error.reason): void {
    if (this.phase === 'closed') return;
    if (this.phase !== 'request' || this.serverPort >= 0) this.send(encodeError(code, message));
    this.finish(error);
  }

  private finish(error: Error): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
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

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private closeSockets(): void {
    this.phase = 'closed';
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

function bindAddress(server: Endpoint): string {
  if (server.family === 6) return server.address === '::1' ? '::1' : '::';
  return server.address.startsWith('127.') ? '127.0.0.1' : '0.0.0.0';
}
