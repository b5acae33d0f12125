import type { TLSSocket } from 'node:tls';

/** The most plaintext one TLS record carries. */
export const TLS_RECORD_BYTES = 16 * 1024;

type WriteCallback = (error?: Error | null) => void;

/** The Writable implementation methods a TLS socket has (net.Socket's), overridden here for one socket. */
interface SocketWrites {
  _write(chunk: unknown, encoding: BufferEncoding, callback: WriteCallback): void;
  _writev: unknown;
}

/**
 * Makes the socket hand TLS at most one record's worth of bytes per write. Node encrypts each write whole
 * into the connection's native encrypted-output buffers before any of it reaches the kernel, and those
 * buffers stay at their largest for the connection's life: written as one piece, a 64 KiB image block (with
 * its WebSocket header, corked together) left each connection holding about 46 KiB more native memory than
 * the same bytes written 16 KiB at a time (1,000 loopback TLS connections sent 2 MiB each: 76 KiB against
 * 30 KiB per connection), which thousands of APs keep long after their predownload. The bytes, their order
 * and the records' protection are the same; only how many records a write becomes differs.
 */
export function writeOneRecordAtATime(socket: TLSSocket): void {
  const writes = socket as unknown as SocketWrites;
  const write = writes._write.bind(socket);
  // Without _writev, chunks queued together (a frame's header and its data) are written one after another.
  writes._writev = null;
  writes._write = (chunk, encoding, callback) => {
    if (!Buffer.isBuffer(chunk) || chunk.length <= TLS_RECORD_BYTES) return write(chunk, encoding, callback);
    let offset = 0;
    const next = (error?: Error | null) => {
      if (error || offset >= chunk.length) return callback(error);
      const piece = chunk.subarray(offset, offset + TLS_RECORD_BYTES);
      offset += piece.length;
      write(piece, encoding, next);
    };
    next();
  };
}
