import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** An SSH server's host key, created on the first start and read back after, so that its fingerprint stays the same. */
export function loadOrCreateHostKey(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8');
  // Node's own ECDSA P-256 key in SEC1 PEM, which ssh2 always reads back: about 3 in 1,000 ed25519 keys
  // from ssh2's utils.generateKeyPairSync are refused by its own parser ("Malformed OpenSSH private key").
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, pem, { mode: 0o600 });
  return pem;
}
