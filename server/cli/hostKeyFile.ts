import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the CLI's SSH host key lives in a data folder (on PostgreSQL, written there from the database). */
export function cliHostKeyPathOf(dataDir: string): string {
  return join(dataDir, 'cli-ssh-host-key');
}

/**
 * A new host key: Node's own ECDSA P-256 key in SEC1 PEM, which ssh2 always reads back: about 3 in 1,000
 * ed25519 keys from ssh2's utils.generateKeyPairSync are refused by its own parser ("Malformed OpenSSH private key").
 */
export function newHostKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ type: 'sec1', format: 'pem' }).toString();
}

/** Writes a host key file readable by its owner only. */
export function writeHostKeyFile(path: string, pem: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, pem, { mode: 0o600 });
}

/** An SSH server's host key, created on the first start and read back after, so that its fingerprint stays the same. */
export function loadOrCreateHostKey(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8');
  const pem = newHostKeyPem();
  writeHostKeyFile(path, pem);
  return pem;
}
