import { connect, type Socket } from 'node:net';

/** Room for about thirty SSH packets of 32 KiB. */
const SLAB_BYTES = 1024 * 1024;
/** Slabs each connection cycles through. */
const RING_SLABS = 3;
/** Node's own read size: a slab with less room left than this makes way for the next one. */
const MIN_READ_BYTES = 64 * 1024;

/**
 * A TCP connection that reads into a ring of three 1 MiB slabs, one after another, instead of into a
 * fresh 64 KiB buffer per read. A download otherwise allocates its whole size again in socket buffers:
 * for a 300 MB image that is about ten full garbage collections (each dearer in the console's larger
 * heap) and page faults, a third of our CPU time on loopback. Reads are larger too, so fewer SSH packets
 * straddle two reads (ssh2 copies each one that does into a buffer of its own).
 *
 * Writing over a slab is safe because everything that reads the socket is done with its bytes long
 * before: ssh2 parses each read at once, keeping a view only into the packet it is decrypting (35,000
 * bytes at most) or, during a key exchange, into that exchange's few messages; the SFTP reader copies
 * every answer out while ssh2 delivers it. A slab is written again only after the other two have been
 * filled (at least 1.87 MiB later). Had anything kept a view, ssh2's integrity check (AES-GCM's tag, or
 * the MAC) would reject the packet and the download would fail and resume, not write wrong bytes.
 *
 * Node reads into a caller's memory only through `onread`, which bypasses the socket's 'data' event:
 * the callback emits it, so ssh2 reads the socket as it reads any other.
 */
export function connectRingSocket(host: string, port: number): Socket {
  const ring = Array.from({ length: RING_SLABS }, () => Buffer.allocUnsafe(SLAB_BYTES));
  let current = 0;
  let used = 0;
  const socket = connect({
    host,
    port,
    onread: {
      buffer: () => {
        if (SLAB_BYTES - used < MIN_READ_BYTES) {
          current = (current + 1) % RING_SLABS;
          used = 0;
        }
        return ring[current].subarray(used);
      },
      // Node hands back the Buffer that `buffer` returned.
      callback: (bytes, buffer) => {
        used += bytes;
        socket.emit('data', (buffer as Buffer).subarray(0, bytes));
        return true;
      },
    },
  });
  return socket;
}
