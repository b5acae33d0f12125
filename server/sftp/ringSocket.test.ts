import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectRingSocket } from './ringSocket';

const STREAM_BYTES = 12 * 1024 * 1024 + 4321;
/** What ringSocket.ts promises: a read is not written over before this much more has arrived. */
const KEPT_FOR_BYTES = 2 * (1024 * 1024 - 64 * 1024);

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A loopback server that sends `data` to whoever connects, in writes of uneven sizes, then closes. */
async function sender(data: Buffer): Promise<number> {
  server = createServer((socket) => {
    let at = 0;
    const next = () => {
      while (at < data.length) {
        const size = Math.min(data.length - at, 1 + ((at * 7919) % 300_000));
        const more = socket.write(data.subarray(at, at + size));
        at += size;
        if (!more) return void socket.once('drain', next);
      }
      socket.end();
    };
    next();
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('connectRingSocket', () => {
  it('delivers a 12 MiB stream byte for byte through three reused 1 MiB slabs', async () => {
    const data = randomBytes(STREAM_BYTES);
    const port = await sender(data);
    const socket = connectRingSocket('127.0.0.1', port);
    const copies: Buffer[] = [];
    const memory = new Set<ArrayBufferLike>();
    socket.on('data', (chunk: Buffer) => {
      memory.add(chunk.buffer);
      copies.push(Buffer.from(chunk));
    });
    await new Promise((resolve, reject) => socket.on('end', resolve).on('error', reject));
    expect(Buffer.concat(copies).equals(data)).toBe(true);
    // A fresh buffer per read would be a hundred or more.
    expect(memory.size).toBeLessThanOrEqual(3);
  });

  it('leaves what a read delivered untouched until almost 2 MiB more have arrived', async () => {
    const data = randomBytes(STREAM_BYTES);
    const port = await sender(data);
    const socket = connectRingSocket('127.0.0.1', port);
    // Views into the slab (as ssh2 keeps for a packet in progress), each with where it ends in the stream.
    const kept: { view: Buffer; end: number }[] = [];
    let received = 0;
    let overwritten = 0;
    socket.on('data', (chunk: Buffer) => {
      for (const { view, end } of kept) {
        if (received - end < KEPT_FOR_BYTES && !view.equals(data.subarray(end - view.length, end))) overwritten += 1;
      }
      received += chunk.length;
      kept.push({ view: chunk, end: received });
      while (kept.length > 0 && received - kept[0].end >= KEPT_FOR_BYTES) kept.shift();
    });
    await new Promise((resolve, reject) => socket.on('end', resolve).on('error', reject));
    expect(received).toBe(STREAM_BYTES);
    expect(overwritten).toBe(0);
  });
});
