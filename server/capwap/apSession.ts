import fs from 'node:fs';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { ApJoinInfo, ApToControllerEvents, ControllerToApEvents, ImageOffer } from '../../lib/capwapEvents';
import { beginReplySchema, dataReplySchema, endReplySchema, precheckReplySchema, reloadReplySchema, type EndReply, type PrecheckReply, type ReloadReply } from '../../lib/capwapReplies';
import { plainAddress } from '../../lib/netAddress';

export type CapwapSocket = Socket<ApToControllerEvents, ControllerToApEvents>;

/** One end of an AP's CAPWAP session: an address as the AP port sees it, and its port. */
export interface SessionEnd {
  address: string;
  port: number;
}

/** An AP's session as the controller's AP port sees it: the AP's end and the controller's own. */
export interface SessionEndpoints {
  ap: SessionEnd;
  controller: SessionEnd;
}

export interface DeliveryOptions {
  signal: AbortSignal;
  /** Called with the bytes the AP acknowledged so far. */
  onAcknowledged: (bytes: number) => void;
  /** The furthest an AP may ask to resume: what this controller already sent it, or the image size. */
  maxResumeOffset: number;
}

export class ApSessionError extends Error {}

// One data block and how many may be unacknowledged at once: enough to keep a fast link busy,
// small enough that an AP never buffers more than 512 KiB it has not written.
const BLOCK_BYTES = 64 * 1024;
const WINDOW_BLOCKS = 8;
const ACK_TIMEOUT_MS = 30_000;

/** Parses an AP's reply; one of the wrong shape ends the request with a line that says so. */
function parseReply<T>(schema: z.ZodType<T>, what: string, reply: unknown): T {
  const parsed = schema.safeParse(reply);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApSessionError(`AP sent an invalid ${what} reply (${issue.path.join('.') || 'reply'}: ${issue.message})`);
  }
  return parsed.data;
}

/**
 * The controller's side of one AP's connection. It moves image bytes and knows
 * nothing about where they came from (TFTP, SFTP): it reads them from the cache.
 */
export class ApSession {
  /**
   * Rejects when the AP's connection drops. socket.io only fails a pending ack at its timeout;
   * racing every request against this ends a transfer the moment the AP is gone, so the row
   * says Failed (and the retry can resume) instead of Predownloading for half a minute.
   */
  private readonly dropped: Promise<never>;
  /** The AP's address and port as the AP port sees them, and the controller's: read at the join, as a closed socket no longer has them. */
  readonly endpoints: SessionEndpoints;

  constructor(
    readonly info: ApJoinInfo,
    private readonly socket: CapwapSocket,
  ) {
    const link = socket.request.socket;
    this.endpoints = {
      ap: { address: this.address, port: link.remotePort ?? 0 },
      controller: { address: plainAddress(link.localAddress), port: link.localPort ?? 0 },
    };
    this.dropped = new Promise<never>((_, reject) => socket.once('disconnect', () => reject(new ApSessionError('AP disconnected'))));
    this.dropped.catch(() => undefined);
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** The address the AP's connection comes from (behind a NAT, the NAT's), as an administrator writes it. */
  get address(): string {
    return plainAddress(this.socket.handshake.address);
  }

  async precheck(offer: ImageOffer): Promise<PrecheckReply> {
    const reply = await this.request(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('image:precheck', offer));
    return parseReply(precheckReplySchema, 'precheck', reply);
  }

  /** Streams the cached file to the AP in a bounded window of acknowledged blocks; resolves with the AP's verification. */
  async deliver(offer: ImageOffer, filePath: string, options: DeliveryOptions): Promise<EndReply> {
    if (options.signal.aborted) throw new ApSessionError('Cancelled');
    const begin = parseReply(beginReplySchema, 'image begin', await this.request(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('image:begin', offer)));
    if (!begin.ok) throw new ApSessionError(begin.message);
    const resumeLimit = Math.min(options.maxResumeOffset, offer.size);
    if (begin.offset > resumeLimit) {
      throw new ApSessionError(`AP asked to resume at byte ${begin.offset}, beyond the ${resumeLimit} bytes it can hold of ${offer.fileName}`);
    }
    let acknowledged = begin.offset;
    options.onAcknowledged(acknowledged);

    const file = await fs.promises.open(filePath, 'r');
    try {
      const inFlight = new Set<Promise<void>>();
      // At most a window of block buffers per delivery, reused once their block is acknowledged (the AP
      // has it, so nothing still reads the buffer): thousands of APs do not churn the garbage collector.
      const spare: Buffer[] = [];
      let failure: Error | null = null;
      for (let offset = begin.offset; offset < offer.size && !failure;) {
        if (options.signal.aborted) throw new ApSessionError('Cancelled');
        const length = Math.min(BLOCK_BYTES, offer.size - offset);
        const buffer = spare.pop() ?? Buffer.allocUnsafe(BLOCK_BYTES);
        const data = length === BLOCK_BYTES ? buffer : buffer.subarray(0, length);
        const { bytesRead } = await file.read(data, 0, length, offset);
        if (bytesRead !== length) throw new ApSessionError(`Short read from the image cache at byte ${offset}`);
        const blockOffset = offset;
        const sentSoFar = offset + length;
        const block: Promise<void> = this.request(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('image:data', { transferId: offer.transferId, offset: blockOffset, data }))
          .then((raw) => {
            const reply = parseReply(dataReplySchema, 'image data', raw);
            if (!reply.ok) throw new ApSessionError(reply.message);
            if (reply.received < acknowledged) throw new ApSessionError(`AP reported ${reply.received} bytes received after ${acknowledged}`);
            if (reply.received > sentSoFar) throw new ApSessionError(`AP reported ${reply.received} bytes received, more than the ${sentSoFar} sent`);
            acknowledged = reply.received;
            options.onAcknowledged(acknowledged);
            spare.push(buffer);
          })
          .catch((error: Error) => {
            failure ??= error;
          })
          .finally(() => inFlight.delete(block));
        inFlight.add(block);
        offset += length;
        if (inFlight.size >= WINDOW_BLOCKS) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      if (failure) throw failure;
      if (options.signal.aborted) throw new ApSessionError('Cancelled');
    } finally {
      await file.close();
    }
    const end = await this.request(() => this.socket.timeout(ACK_TIMEOUT_MS * 4).emitWithAck('image:end', { transferId: offer.transferId }));
    return parseReply(endReplySchema, 'image end', end);
  }

  /** Tells the AP to drop its transfers and remove its partial files (`cannotStart`: a download at join that could not start). Best effort: the AP may be gone. */
  async abort(reason: string, cannotStart = false): Promise<void> {
    if (!this.socket.connected) return;
    await this.socket
      .timeout(5000)
      .emitWithAck('image:abort', cannotStart ? { reason, cannotStart } : { reason })
      .catch(() => undefined);
  }

  /** At join: the AP runs another AP image than the controller's, and is about to be given it. */
  announceVersionMismatch(controllerVersion: string): void {
    if (this.socket.connected) this.socket.emit('image:version-mismatch', { controllerVersion });
  }

  async reload(): Promise<ReloadReply> {
    const reply = await this.request(() => this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('ap:reload'));
    return parseReply(reloadReplySchema, 'reload', reply);
  }

  private async request<T>(send: () => Promise<T>): Promise<unknown> {
    if (!this.socket.connected) throw new ApSessionError('AP is not connected');
    try {
      return await Promise.race([send(), this.dropped]);
    } catch (error) {
      if (error instanceof ApSessionError) throw error;
      throw new ApSessionError(this.socket.connected ? 'AP did not answer in time' : 'AP disconnected');
    }
  }
}
