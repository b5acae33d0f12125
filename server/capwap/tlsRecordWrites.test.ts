import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaMaterial } from '../pki/localCa';
import { TLS_RECORD_BYTES, writeOneRecordAtATime } from './tlsRecordWrites';

// A real TLS connection on loopback: what the server's socket hands TLS per write, and what the client reads.

type Write = (chunk: unknown, encoding: BufferEncoding, callback: (error?: Error | null) => void) => void;
type Writev = (chunks: Array<{ chunk: unknown }>, callback: (error?: Error | null) => void) => void;

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A TLS server whose first connection records the size of every write it hands TLS; the client reads until `expected` bytes came. */
async function connect(split: boolean, expected: number) {
  const { keyPem, certPem } = await createCaMaterial();
  const handed: number[] = [];
  let accepted!: (socket: tls.TLSSocket) => void;
  const serverSocket = new Promise<tls.TLSSocket>((resolve) => (accepted = resolve));
  const server = tls.createServer({ key: keyPem, cert: certPem, minVersion: 'TLSv1.2' }, (socket) => {
    const writes = socket as unknown as { _write: Write; _writev: Writev };
    const write = writes._write.bind(socket);
    const writev = writes._writev.bind(socket);
    // What reaches TLS: the socket's own writes (one chunk, or several queued ones at once), seen from where writeOneRecordAtATime (if any) calls them.
    writes._write = (chunk, encoding, callback) => {
      handed.push((chunk as Buffer).length);
      write(chunk, encoding, callback);
    };
    writes._writev = (chunks, callback) => {
      handed.push(chunks.reduce((sum, { chunk }) => sum + (chunk as Buffer).length, 0));
      writev(chunks, callback);
    };
    if (split) writeOneRecordAtATime(socket);
    accepted(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A throwaway CA certificate serves as the server's (not a server certificate, so the client does not verify it): this checks the bytes, not who sent them.
  const client = tls.connect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', rejectUnauthorized: false });
  closers.push(() => {
    client.destroy();
    server.close();
  });
  const chunks: Buffer[] = [];
  let length = 0;
  const received = new Promise<Buffer>((resolve) =>
    client.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= expected) resolve(Buffer.concat(chunks));
    }),
  );
  return { socket: await serverSocket, handed, received };
}

describe('writeOneRecordAtATime', () => {
  // A WebSocket frame as ws writes it: a small header and a 64 KiB image block corked together, then a block and a bit.
  const header = crypto.randomBytes(10);
  const block = crypto.randomBytes(64 * 1024);
  const tail = crypto.randomBytes(3 * TLS_RECORD_BYTES + 123);
  const sent = Buffer.concat([header, block, tail]);

  const send = (socket: tls.TLSSocket) =>
    new Promise<void>((resolve, reject) => {
      socket.cork();
      socket.write(header);
      socket.write(block);
      socket.uncork();
      socket.write(tail, (error) => (error ? reject(error) : resolve()));
    });

  it('hands TLS at most one record of bytes per write, and the peer reads every byte in order', async () => {
    const { socket, handed, received } = await connect(true, sent.length);
    await send(socket);
    expect((await received).equals(sent)).toBe(true);
    expect(Math.max(...handed)).toBeLessThanOrEqual(TLS_RECORD_BYTES);
    expect(handed.reduce((a, b) => a + b, 0)).toBe(sent.length);
  });

  it('is what makes the difference: a socket left alone hands TLS a whole block in one write', async () => {
    const { socket, handed, received } = await connect(false, sent.length);
    await send(socket);
    expect((await received).equals(sent)).toBe(true);
    expect(Math.max(...handed)).toBeGreaterThan(TLS_RECORD_BYTES);
  });
});
