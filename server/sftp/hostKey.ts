import { createHash } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { Client } from 'ssh2';

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

export interface HostKeyProbe {
  host: string;
  port: number;
  timeoutMs: number;
}

/**
 * Learns the server's host key by running the key exchange only: the verifier refuses the key, so the
 * client disconnects before it ever sends a user name.
 */
export function fetchHostKeyFingerprint({ host, port, timeoutMs }: HostKeyProbe): Promise<{ fingerprint: string; keyType: string }> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    const socket = netConnect({ host, port });
    let settled = false;
    const finish = (error: Error | null, result?: { fingerprint: string; keyType: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      socket.destroy();
      if (error) reject(error);
      else resolve(result!);
    };
    const timer = setTimeout(() => finish(new Error(`Timed out after ${timeoutMs} ms waiting for the host key of ${host}:${port}`)), timeoutMs);
    client.on('error', (error) => finish(error));
    client.on('close', () => finish(new Error(`Connection to ${host}:${port} closed before the key exchange`)));
    client.connect({
      sock: socket,
      username: 'host-key-probe',
      readyTimeout: timeoutMs,
      hostVerifier: (key: Buffer) => {
        finish(null, { fingerprint: fingerprintOf(key), keyType: keyTypeOf(key) });
        return false;
      },
    });
  });
}
