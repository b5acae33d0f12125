import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Blocking UDP on one socket (native/udp-sync): every method is one syscall on the calling thread. */
export interface UdpSocket {
  /** Returns the local port. */
  bind(address: string, port: number): number;
  /** The address `send` goes to and `recv` compares sources with. */
  setPeer(address: string): void;
  /**
   * Receives one datagram into `buffer[offset, offset + length)` waiting at most `timeoutMs`
   * (0: not at all). Returns its size, or -1 when none came; `source` gets [port, 1 if it came
   * from the peer's address else 0].
   */
  recv(buffer: Buffer, offset: number, length: number, timeoutMs: number, source: Int32Array): number;
  /** To the peer's address at `port`. */
  send(buffer: Buffer, length: number, port: number): void;
  /** To the sender of the datagram `recv` returned last. */
  reply(buffer: Buffer, length: number): void;
  /** How long `recv` polls before it sleeps, in microseconds (0: it sleeps at once). */
  setSpin(microseconds: number): void;
  close(): void;
}

export interface UdpSyncAddon {
  UdpSocket: new (family: 4 | 6, receiveBufferBytes: number) => UdpSocket;
}

/** A function, not a constant: the worker bundle has no `import.meta.url` and is told the path. */
export function addonPath(): string {
  return fileURLToPath(new URL('../../native/udp-sync/build/Release/udp_sync.node', import.meta.url));
}

let loaded: { addon: UdpSyncAddon | null; problem: string } | null = null;

/** The addon, or null when it was not built (or does not load here); `loadProblem` says why. */
export function loadUdpSync(path = addonPath()): UdpSyncAddon | null {
  if (!loaded) {
    if (!fs.existsSync(path)) {
      loaded = { addon: null, problem: `${path} is missing (build it with: node native/build.mjs)` };
    } else {
      try {
        loaded = { addon: createRequire(path)(path) as UdpSyncAddon, problem: '' };
      } catch (e) {
        loaded = { addon: null, problem: `${path} does not load: ${e instanceof Error ? e.message : String(e)}` };
      }
    }
  }
  return loaded.addon;
}

export function loadProblem(): string {
  loadUdpSync();
  return loaded!.problem;
}
