import fs from 'node:fs';
import type { z } from 'zod';
import type { Socket } from 'socket.io';
import type { ApToControllerEvents, ControllerToApEvents, ImageOffer } from '../../lib/capwapEvents';
import { beginReplySchema, dataReplySchema, endReplySchema, type EndReply } from '../../lib/capwapReplies';
import { ApSessionError } from './apPortProtocol';

export type CapwapSocket = Socket<ApToControllerEvents, ControllerToApEvents>;

// One data block and how many may be unacknowledged at once: enough to keep a fast link busy,
// small enough that an AP never buffers more than 512 KiB it has not written.
const BLOCK_BYTES = 64 * 1024;
const WINDOW_BLOCKS = 8;
/**
 * How far an AP may hold beyond what it acknowledged: the blocks of one window it wrote but whose
 * acknowledgements were lost with its link (or with the AP port's thread). Resuming there is no lie.
 */
export const UNACKNOWLEDGED_WINDOW_BYTES = WINDOW_BLOCKS * BLOCK_BYTES;
export const ACK_TIMEOUT_MS = 30_000;

/** Parses an AP's reply; one of the wrong shape ends the request with a line that says so. */
export function parseReply<T>(schema: z.ZodType<T>, what: string, reply: unknown): T {
  const parsed = schema.safeParse(reply);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApSessionError(`AP sent an invalid ${what} reply (${issue.path.join('.') || 'reply'}: ${issue.message})`);
  }
  return parsed.data;
}

/** How one request to the AP is sent: with its deadline, and ended at once if the AP's connection drops. */
export type SendToAp = (send: (socket: CapwapSocket) => Promise<unknown>) => Promise<unknown>;

export interface StreamOptions {
  signal: AbortSignal;
  /**
   * What the AP acknowledged of this image in earlier deliveries (or the image size when nothing was sent
   * yet): it may ask to resume up to one unacknowledged window beyond it, never further.
   */
  maxResumeOffset: number;
  /** Called with the bytes the AP acknowledged so far. */
  onAcknowledged: (bytes: number) => void;
}

/**
 * Streams the cached file to the AP in a bounded window of acknowledged blocks and resolves with the
 * AP's verification. The blocks are read, framed and encrypted on the AP port's side; the console
 * learns only the acknowledged byte counts and the parsed end reply.
 */
export async function streamImage(send: SendToAp, offer: ImageOffer, filePath: string, options: StreamOptions): Promise<EndReply> {
  if (options.signal.aborted) throw new ApSessionError('Cancelled');
  const begin = parseReply(beginReplySchema, 'image begin', await send((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('image:begin', offer)));
  if (!begin.ok) throw new ApSessionError(begin.message);
  const resumeLimit = Math.min(options.maxResumeOffset + UNACKNOWLEDGED_WINDOW_BYTES, offer.size);
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
      const block: Promise<void> = send((s) => s.timeout(ACK_TIMEOUT_MS).emitWithAck('image:data', { transferId: offer.transferId, offset: blockOffset, data }))
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
  const end = await send((s) => s.timeout(ACK_TIMEOUT_MS * 4).emitWithAck('image:end', { transferId: offer.transferId }));
  return parseReply(endReplySchema, 'image end', end);
}
