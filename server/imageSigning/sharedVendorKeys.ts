import { createHash, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sharedTrustRows } from '../store/sharedTrustRepository';
import type { Executor } from '../store/store';

interface VendorKeyFile {
  sha256: string;
  fileName: string;
  publicKeyPem: string;
}

/** The SHA-256 of a public key's SubjectPublicKeyInfo: one key, however its PEM is wrapped. */
function keySha256(pem: string, file: string): string {
  try {
    return createHash('sha256')
      .update(createPublicKey(pem).export({ type: 'spki', format: 'der' }))
      .digest('hex');
  } catch {
    throw new Error(`The vendor key file ${file} holds no readable public key (PEM)`);
  }
}

function readVendorKeyFiles(dir: string): VendorKeyFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.pem'))
    .sort()
    .map((fileName) => {
      const publicKeyPem = fs.readFileSync(path.join(dir, fileName), 'utf8');
      return { sha256: keySha256(publicKeyPem, path.join(dir, fileName)), fileName, publicKeyPem };
    });
}

/**
 * Makes this node's vendor key folder and the shared database trust the same keys: a key put in any
 * node's folder is added to the database, and every key of the database is written into the folder,
 * where the image checks and `npm run fleet -- --vendor-keys` read them. A different key under a file
 * name the folder already uses gets a name of its own (`NAME-<first 12 hex digits of its SHA-256>.pem`).
 */
export async function shareVendorKeys(db: Executor, dir: string): Promise<void> {
  const local = readVendorKeyFiles(dir);
  await sharedTrustRows.offerVendorKeys(db, local);
  const held = new Set(local.map((key) => key.sha256));
  for (const key of await sharedTrustRows.vendorKeys(db)) {
    if (held.has(key.sha256)) continue;
    fs.mkdirSync(dir, { recursive: true });
    const name = path.basename(key.file_name);
    const fileName = fs.existsSync(path.join(dir, name)) ? `${path.basename(name, '.pem')}-${key.sha256.slice(0, 12)}.pem` : name;
    fs.writeFileSync(path.join(dir, fileName), key.public_key_pem);
  }
}
