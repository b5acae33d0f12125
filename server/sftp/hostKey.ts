import { createHash } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { Client } from 'ssh2';
import { algorithmsOfKeyType, HOST_KEY_TYPES, isHostKeyType, type HostKeyType } from '../../lib/hostKeyType';
import { hostPort } from '../../lib/netAddress';

/** `SHA256:<base64 without padding>` of a public key blob, the form `ssh-keygen -lf` and `ssh` print. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name that opens every SSH public key blob (RFC 4253 §6.6), e.g. `ssh-ed25519`. */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  if (length === 0 || 4 + length > keyBlob.length) return 'unknown';
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

/** One host key a server presented. */
export interface PresentedKey {
  fingerprint: string;
  keyType: string;
}

export interface HostKeyProbe {
  host: string;
  port: number;
  timeoutMs: number;
  /** Ask only for keys of these types, in this order; by default every type, ssh2's preference. */
  keyTypes?: readonly HostKeyType[];
}

/**
 * Learns the server's host key by running the key exchange only: the verifier refuses the key, so the
 * client disconnects before it ever sends a user name.
 */
export function fetchHostKey({ host, port, timeoutMs, keyTypes = HOST_KEY_TYPES }: HostKeyProbe): Promise<PresentedKey> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    const socket = netConnect({ host, port });
    let settled = false;
    const finish = (error: Error | null, result?: PresentedKey) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      socket.destroy();
      if (error) reject(error);
      else resolve(result!);
    };
    const timer = setTimeout(() => finish(new Error(`Timed out after ${timeoutMs} ms waiting for the host key of ${hostPort(host, port)}`)), timeoutMs);
    client.on('error', (error) => finish(error));
    client.on('close', () => finish(new Error(`Connection to ${hostPort(host, port)} closed before the key exchange`)));
    client.connect({
      sock: socket,
      username: 'host-key-probe',
      readyTimeout: timeoutMs,
      algorithms: { serverHostKey: keyTypes.flatMap(algorithmsOfKeyType) },
      hostVerifier: (key: Buffer) => {
        finish(null, { fingerprint: fingerprintOf(key), keyType: keyTypeOf(key) });
        return false;
      },
    });
  });
}

export interface HostKeySearch {
  host: string;
  port: number;
  timeoutMs: number;
  fingerprint: string;
  /** Keys already seen: their types are not asked for again. */
  seen: PresentedKey[];
}

/**
 * Looks among the server's other host keys for one with the pinned fingerprint: one short connection per
 * key type, each offering only the types not seen yet, so the server presents a new key every time; it
 * stops at the first match, or when the server has no key of the remaining types (the handshake then
 * fails with "no matching host key format"). Returns the matching type (or null) and every key seen.
 */
export async function findHostKeyType({ host, port, timeoutMs, fingerprint, seen }: HostKeySearch): Promise<{ match: HostKeyType | null; seen: PresentedKey[] }> {
  const all = [...seen];
  for (;;) {
    const remaining = HOST_KEY_TYPES.filter((type) => !all.some((key) => key.keyType === type));
    if (remaining.length === 0) return { match: null, seen: all };
    let key: PresentedKey;
    try {
      key = await fetchHostKey({ host, port, timeoutMs, keyTypes: remaining });
    } catch (error) {
      if (/no matching host key/i.test((error as Error).message)) return { match: null, seen: all };
      throw error;
    }
    // A server presenting a type we did not ask for would make this loop endless.
    if (!isHostKeyType(key.keyType) || !remaining.includes(key.keyType)) return { match: null, seen: all };
    all.push(key);
    if (key.fingerprint === fingerprint) return { match: key.keyType, seen: all };
  }
}
