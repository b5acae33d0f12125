import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const JOIN_TOKEN_FILE = 'fleet-join-token';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares through hashes so the time taken says nothing about how much of the token was right. */
export function sameToken(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(hashToken(a), 'hex'), Buffer.from(hashToken(b), 'hex'));
}

/**
 * The fleet's join token: the shared secret simulated APs (`npm run fleet`, the demo fleet) enrol
 * with. Created once in the PKI folder with mode 0600, like the secret key file.
 */
export function loadOrCreateJoinToken(pkiDir: string): string {
  const existing = readJoinTokenFile(pkiDir);
  if (existing !== null) return existing;
  const token = newToken();
  writeJoinTokenFile(pkiDir, token);
  return token;
}

/** The join token file of a PKI folder, or null when it has none. */
export function readJoinTokenFile(pkiDir: string): string | null {
  const file = path.join(pkiDir, JOIN_TOKEN_FILE);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : null;
}

/** Writes the join token file (mode 0600: it enrols APs). */
export function writeJoinTokenFile(pkiDir: string, token: string): void {
  fs.mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  const file = path.join(pkiDir, JOIN_TOKEN_FILE);
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
