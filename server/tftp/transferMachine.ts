import { acceptOack, optionRequest, PLAIN_RFC1350, type Settings, type TftpNegotiated } from './negotiation';
import { DATA_HEADER_BYTES, ErrorCode, MalformedPacketError, Opcode, decodeError, decodeOack, encodeAck, encodeError, encodeRequest } from './packets';
import { OptionsRefused, cancelled, protocolError, serverError, timedOut, type TftpError } from './tftpErrors';

export type Phase = 'request' | 'data' | 'dally' | 'closed';

/**
 * What the protocol asks of an engine. The machine decides; the engine owns sockets, files and
 * timers, so the event-driven engine and the blocking worker engine share every decision.
 */
export interface TransferIo {
  /** To the server's address at `port` (its well-known port until its TID is known). */
  send(packet: Buffer, port: number): void;
  /** To the sender of the packet being handled, which is not the server. */
  reply(packet: Buffer): void;
  /** The server's TID is known: later packets from other ports are strangers. */
  serverPortLearnt(port: number): void;
  /** DATA starts flowing with these settings; `capacityBlocks` is asked only from now on. */
  startData(negotiated: TftpNegotiated): void;
  /** An accepted in-order DATA packet, header included: the engine owns it from now on. */
  append(packet: Buffer): void;
  /** How many more blocks can be accepted without waiting for the disk. */
  capacityBlocks(): number;
  /** The last block is accepted and its ACK sent; the machine is dallying. */
  complete(): void;
  /** The transfer is over with `error`; nothing more is sent. */
  fail(error: Error): void;
}

/**
 * The client side of one RRQ as a pure state machine: packets, timer ticks and disk progress in,
 * calls on `TransferIo` out. Time comes in as arguments, so it holds no clock, socket or file.
 */
export class TransferMachine {
  private phaseValue: Phase = 'request';
  private request: Buffer = Buffer.alloc(0);
  private serverPortValue = -1;
  private negotiatedValue: TftpNegotiated = PLAIN_RFC1350;
  private blksize = PLAIN_RFC1350.blksize;
  private windowsize = 1;

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

  constructor(
    private readonly settings: Settings,
    private readonly withOptions: boolean,
    private readonly io: TransferIo,
  ) {}

  get phase(): Phase {
    return this.phaseValue;
  }

  get serverPort(): number {
    return this.serverPortValue;
  }

  get negotiated(): TftpNegotiated {
    return this.negotiatedValue;
  }

  /** Sends the RRQ; the engine then calls `onTimer` after `settings.timeoutMs`. */
  start(now: number): void {
    this.request = encodeRequest(Opcode.RRQ, this.settings.remotePath, 'octet', this.withOptions ? optionRequest(this.settings) : []);
    this.send(this.request);
    this.progressAt = now;
  }

  /** `fromServerAddress`: the datagram's source address is the server's (its port is checked here). */
  onPacket(msg: Buffer, port: number, fromServerAddress: boolean, now: number): void {
    if (!fromServerAddress || (this.serverPortValue >= 0 && port !== this.serverPortValue)) {
      // RFC 1350: a stranger's packet must not end or disturb the transfer, only be told off.
      if (this.phaseValue !== 'closed') this.io.reply(encodeError(ErrorCode.UNKNOWN_TID, 'Unknown transfer ID'));
      return;
    }
    if (msg.length < 4) return;
    try {
      const opcode = msg.readUInt16BE(0);
      if (opcode === Opcode.DATA) this.onData(msg, port, now);
      else if (opcode === Opcode.OACK) this.onOack(msg, port, now);
      else if (opcode === Opcode.ERROR) this.onError(msg);
      else if (this.phaseValue !== 'dally') this.abort(protocolError(`unexpected opcode ${opcode}`), ErrorCode.ILLEGAL_OPERATION);
    } catch (e) {
      if (e instanceof MalformedPacketError) this.abort(protocolError(e.message), ErrorCode.ILLEGAL_OPERATION);
      else throw e;
    }
  }

  /**
   * The retransmission timer: one for the whole transfer, since packets only move `progressAt`.
   * Returns the milliseconds until it should run again, or -1 when it is no longer needed.
   */
  onTimer(now: number): number {
    if (this.phaseValue !== 'request' && this.phaseValue !== 'data') return -1;
    const idle = now - this.progressAt;
    if (idle < this.settings.timeoutMs) return this.settings.timeoutMs - idle;
    if (++this.retransmissions > this.settings.retries) {
      this.fail(timedOut());
      return -1;
    }
    // RFC 7440: on timeout the receiver re-acknowledges the last in-order block.
    if (this.phaseValue === 'request') this.send(this.request);
    else this.sendAck(this.lastInOrder16, now);
    this.progressAt = now;
    return this.settings.timeoutMs;
  }

  /** The disk took some blocks: an ACK held back for lack of room can go now. */
  onDiskProgress(now: number): void {
    if (this.ackDeferred && this.phaseValue === 'data' && this.io.capacityBlocks() >= this.windowsize) this.sendAck(this.lastInOrder16, now);
  }

  cancel(): void {
    this.abort(cancelled(), ErrorCode.NOT_DEFINED, 'Transfer cancelled');
  }

  /** Ends the transfer with an error the server should hear about too. */
  abort(error: TftpError, code: number, message = error.reason): void {
    if (this.phaseValue === 'closed') return;
    if (this.phaseValue !== 'request' || this.serverPortValue >= 0) this.send(encodeError(code, message));
    this.fail(error);
  }

  /** Ends the transfer with an error only we need to know about. */
  fail(error: Error): void {
    if (this.phaseValue === 'closed') return;
    this.phaseValue = 'closed';
    this.io.fail(error);
  }

  private send(packet: Buffer): void {
    this.io.send(packet, this.serverPortValue < 0 ? this.settings.port : this.serverPortValue);
  }

  private learnServerPort(port: number): void {
    this.serverPortValue = port;
    this.io.serverPortLearnt(port);
  }

  private onOack(msg: Buffer, port: number, now: number): void {
    if (this.phaseValue === 'data' && this.blocks === 0) {
      // Our ACK 0 was lost: the server is repeating its OACK.
      this.resendAckUnlessFresh(now);
      return;
    }
    if (this.phaseValue !== 'request') return;
    this.learnServerPort(port);
    if (!this.withOptions) {
      this.abort(protocolError('OACK to a request without options'), ErrorCode.OPTION_REFUSED);
      return;
    }
    const accepted = acceptOack(this.settings, decodeOack(msg));
    if (typeof accepted === 'string') {
      this.abort(protocolError(accepted), ErrorCode.OPTION_REFUSED);
      return;
    }
    this.negotiatedValue = accepted;
    this.startData(now);
    this.sendAck(0, now);
  }

  private startData(now: number): void {
    this.phaseValue = 'data';
    this.blksize = this.negotiatedValue.blksize;
    this.windowsize = this.negotiatedValue.windowsize;
    this.io.startData(this.negotiatedValue);
    this.progressAt = now;
    this.retransmissions = 0;
  }

  private onData(msg: Buffer, port: number, now: number): void {
    if (this.phaseValue === 'request') {
      // The server ignored our options (or we sent none): RFC 1350 defaults apply.
      this.learnServerPort(port);
      this.startData(now);
    } else if (this.phaseValue === 'dally') {
      if (msg.readUInt16BE(2) === this.lastInOrder16) this.resendAckUnlessFresh(now, true);
      return;
    } else if (this.phaseValue !== 'data') {
      return;
    }
    const payload = msg.length - DATA_HEADER_BYTES;
    if (payload > this.blksize) {
      this.abort(protocolError(`DATA block of ${payload} bytes exceeds the negotiated blksize ${this.blksize}`), ErrorCode.ILLEGAL_OPERATION);
      return;
    }
    const block = msg.readUInt16BE(2);
    if (block !== this.next16) {
      if (this.next16 === 0 && this.rolloverTo === null && block === 1) {
        this.rolloverTo = 1;
      } else {
        this.onOutOfOrder(block, now);
        return;
      }
    } else if (block === 0) {
      this.rolloverTo = 0;
    }
    // A server that overruns the window while the disk lags: drop, it will resend after our ACK.
    if (this.io.capacityBlocks() === 0) return;
    this.bytes += payload;
    const tsize = this.negotiatedValue.tsize;
    if (tsize !== null && this.bytes > tsize) {
      this.abort(protocolError(`received more than the announced tsize of ${tsize} bytes`), ErrorCode.ILLEGAL_OPERATION);
      return;
    }
    this.blocks++;
    this.lastInOrder16 = block;
    this.next16 = block === 0xffff ? (this.rolloverTo ?? 0) : block + 1;
    this.progressAt = now;
    this.retransmissions = 0;
    if (payload < this.blksize) {
      if (tsize !== null && this.bytes !== tsize) {
        this.abort(protocolError(`transfer ended after ${this.bytes} bytes, announced tsize was ${tsize}`), ErrorCode.ILLEGAL_OPERATION);
        return;
      }
      this.sendAck(block, now, true);
      this.io.append(msg);
      this.phaseValue = 'dally';
      this.io.complete();
      return;
    }
    // The ACK goes out before the block is queued so the server works on the next window while
    // we do the bookkeeping; a deferred ACK (disk behind) still sees this block as accepted.
    if (++this.sinceAck >= this.windowsize) this.sendAck(block, now, false, 1);
    this.io.append(msg);
  }

  private onOutOfOrder(block: number, now: number): void {
    const ahead = (block - this.next16) & 0xffff;
    if (ahead > 0 && ahead < this.windowsize) {
      // A gap (RFC 7440): one re-ACK of the last in-order block makes the server resend from there.
      // Further blocks of the same broken window must not trigger more ACKs, or it resends again.
      if (this.gapAckedAtBlock !== this.blocks) {
        this.gapAckedAtBlock = this.blocks;
        this.sendAck(this.lastInOrder16, now);
      }
      return;
    }
    if (block === this.lastInOrder16) this.resendAckUnlessFresh(now);
  }

  /**
   * A duplicate of the block we last acknowledged means our ACK was lost, but only if it comes
   * late; an early duplicate is the server's own overlap, and answering it would make the server
   * send the next window twice (Sorcerer's Apprentice).
   */
  private resendAckUnlessFresh(now: number, final = false): void {
    if (now - this.lastAckAt >= this.settings.timeoutMs / 2) this.sendAck(this.lastInOrder16, now, final);
  }

  /**
   * `final` ACKs invite nothing more, so they never wait for the disk. `unqueued` counts accepted
   * blocks not yet handed to the engine.
   */
  private sendAck(block: number, now: number, final = false, unqueued = 0): void {
    // Acknowledging invites a whole window; wait for the disk rather than drop what comes.
    if (!final && this.phaseValue === 'data' && this.io.capacityBlocks() - unqueued < this.windowsize) {
      this.ackDeferred = true;
      return;
    }
    this.ackDeferred = false;
    this.sinceAck = 0;
    this.lastAckAt = now;
    // A fresh 4-byte buffer (from Node's pool): a shared one could be rewritten before a send
    // the kernel could not take at once has left.
    this.send(encodeAck(block));
  }

  private onError(msg: Buffer): void {
    if (this.phaseValue === 'dally') return;
    const { code, message } = decodeError(msg);
    if (code === ErrorCode.OPTION_REFUSED && this.phaseValue === 'request' && this.withOptions) {
      this.fail(new OptionsRefused(message));
      return;
    }
    this.fail(serverError(code, message));
  }
}
