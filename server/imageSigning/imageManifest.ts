import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SignedManifest } from '../../lib/capwapEvents';

/**
 * The signature manifest of an AP bundle: beside the images, `image-manifest.json` lists each
 * file's name, size and SHA-256, and `image-manifest.json.sig` holds the base64 Ed25519
 * signature of the manifest file's exact bytes by the vendor's key. The controller checks it
 * before it delivers a byte; each AP checks its image against it before it stages it.
 */
export const MANIFEST_FILE = 'image-manifest.json';
export const SIGNATURE_FILE = 'image-manifest.json.sig';
export const MANIFEST_FORMAT = 'ewc-image-manifest/1';

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  version: z.string().max(64),
  files: z.array(z.object({ name: z.string().min(1).max(128), size: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).max(1000),
});
export type ImageManifest = z.output<typeof manifestSchema>;

export type Verified<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The line every refusal starts with, as the EWC's syslog words it. */
export const VERIFY_FAILED = 'Image signing verify failed';

export function createManifest(version: string, files: { name: string; size: number; sha256: string }[]): string {
  return `${JSON.stringify({ format: MANIFEST_FORMAT, version, files }, null, 2)}\n`;
}

export function signManifest(manifestText: string, vendorKey: KeyObject): string {
  return sign(null, Buffer.from(manifestText, 'utf8'), vendorKey).toString('base64');
}

/** Signs the files of a folder as a vendor does: writes the manifest of their sizes and SHA-256, and its signature, beside them. */
export function writeSignedManifest(dir: string, version: string, fileNames: readonly string[], vendorKey: KeyObject): void {
  const files = fileNames.map((name) => {
    const bytes = fs.readFileSync(path.join(dir, name));
    return { name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
  const manifest = createManifest(version, files);
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), manifest);
  fs.writeFileSync(path.join(dir, SIGNATURE_FILE), `${signManifest(manifest, vendorKey)}\n`);
}

/** Checks the signature with each trusted vendor key, then the manifest's shape. */
export function verifyBundleManifest(signed: SignedManifest, trustedKeys: KeyObject[]): Verified<ImageManifest> {
  if (trustedKeys.length === 0) return { ok: false, reason: `${VERIFY_FAILED}: no trusted vendor key` };
  const data = Buffer.from(signed.manifest, 'utf8');
  const signature = Buffer.from(signed.signature.trim(), 'base64');
  const trusted = trustedKeys.some((key) => {
    try {
      return verify(null, data, key, signature);
    } catch {
      return false;
    }
  });
  if (!trusted) return { ok: false, reason: `${VERIFY_FAILED}: the manifest signature does not verify with a trusted vendor key` };
  let raw: unknown;
  try {
    raw = JSON.parse(signed.manifest);
  } catch {
    return { ok: false, reason: `${VERIFY_FAILED}: the manifest is not JSON` };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `${VERIFY_FAILED}: the manifest is not a ${MANIFEST_FORMAT} manifest` };
  return { ok: true, value: parsed.data };
}

/** Whether a file of this size and SHA-256 is the one the manifest lists under its name. */
export function checkImageAgainstManifest(manifest: ImageManifest, fileName: string, size: number, sha256: string): Verified<null> {
  const entry = manifest.files.find((file) => file.name === fileName);
  if (!entry) return { ok: false, reason: `${VERIFY_FAILED}: ${fileName} is not in the signed manifest` };
  if (entry.size !== size || entry.sha256 !== sha256) {
    return { ok: false, reason: `${VERIFY_FAILED}: ${fileName} is ${size} bytes sha256 ${sha256}, the signed manifest says ${entry.size} bytes sha256 ${entry.sha256}` };
  }
  return { ok: true, value: null };
}

/** The trusted vendor public keys: every `*.pem` in the folder. */
export function loadTrustedVendorKeys(dir: string): KeyObject[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.pem'))
    .sort()
    .map((name) => createPublicKey(fs.readFileSync(path.join(dir, name), 'utf8')));
}

/** A vendor Ed25519 key kept in `file` (mode 0600), created when missing; its public key goes into `trustDir` as `NAME.pem`. */
export function loadOrCreateVendorKey(file: string, trustDir: string, trustName: string): KeyObject {
  let key: KeyObject;
  if (fs.existsSync(file)) key = createPrivateKey(fs.readFileSync(file, 'utf8'));
  else {
    key = generateKeyPairSync('ed25519').privateKey;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, key.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  fs.mkdirSync(trustDir, { recursive: true });
  fs.writeFileSync(path.join(trustDir, `${trustName}.pem`), createPublicKey(key).export({ type: 'spki', format: 'pem' }));
  return key;
}
