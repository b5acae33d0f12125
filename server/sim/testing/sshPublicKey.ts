import { generateKeyPairSync } from 'node:crypto';

/**
 * A fresh `ssh-ed25519 AAAA… comment` line, built from Node's own key: ssh2's `utils.generateKeyPairSync('ed25519')`
 * drops a leading zero byte of the key about once in 256 keys (a 31-byte key, `AAAAH…`), which a parser rightly refuses.
 */
export function ed25519PublicKeyLine(comment: string): string {
  // The SPKI form of an Ed25519 key ends with its 32 raw bytes.
  const raw = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]).toString('base64')} ${comment}`;
}
