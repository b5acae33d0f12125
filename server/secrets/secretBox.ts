import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {}

/**
 * AES-256-GCM for secrets at rest (SFTP passwords, private keys, passphrases).
 * A sealed value is `v1:` + base64(iv | tag | ciphertext); the tag makes tampering and a wrong key detectable.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new SecretBoxError(`A secret key is ${KEY_BYTES} bytes, not ${key.length}`);
  }

  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
  }

  open(sealed: string): string {
    const [version, body] = sealed.split(':', 2);
    if (version !== VERSION || !body) throw new SecretBoxError('Not a value sealed by this console');
    const raw = Buffer.from(body, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('Not a value sealed by this console');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError("The value was not sealed with this console's secret key, or was altered");
    }
  }

  isSealed(value: string): boolean {
    return value.startsWith(`${VERSION}:`);
  }
}

export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new SecretBoxError('EWC_SECRET_KEY must be 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32)');
  }
  return key;
}

export function secretKeyFile(dataDir: string): string {
  return path.join(dataDir, 'secret.key');
}

export function generateSecretKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function writeSecretKeyFile(file: string, key: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, `${key.toString('base64')}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}

/**
 * The key comes from `EWC_SECRET_KEY` when set; otherwise from a key file in the data folder,
 * created with mode 0600 on first start so that only the console's user can read it.
 */
export function loadSecretBox(dataDir: string, envKey: string | undefined): { box: SecretBox; source: string } {
  if (envKey) return { box: new SecretBox(parseSecretKey(envKey)), source: 'EWC_SECRET_KEY' };
  const file = secretKeyFile(dataDir);
  if (!fs.existsSync(file)) writeSecretKeyFile(file, generateSecretKey());
  return { box: new SecretBox(parseSecretKey(fs.readFileSync(file, 'utf8'))), source: file };
}
