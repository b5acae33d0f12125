import { createHash, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AP_IMAGE_TYPES, CONTROLLER_IMAGE_FILE, CONTROLLER_VERSION_FILE, VERSION_FILE } from '../../lib/imageBundle';
import { createManifest, MANIFEST_FILE, SIGNATURE_FILE, signManifest } from '../imageSigning/imageManifest';

/** One bundle on the model's image server: where it is, what it installs, whether a vendor signed it, the image files it lacks. */
export interface ModelBundle {
  imagePath: string;
  version: string;
  controllerVersion: string;
  signed: boolean;
  missing?: readonly string[];
}

/**
 * The paths a Save & Download may name: two signed releases, one unsigned, one unsigned without the image of
 * one AP type (its APs fail and are retried: the retry count and next retry surfaces), the release the fleet
 * starts on (what a profile must name for an AP that joins on an older one to be given the controller's
 * version), and one that does not exist.
 */
export const MODEL_BUNDLES: readonly ModelBundle[] = [
  { imagePath: '/EWC/17_12_1_5', version: '17.12.1.5', controllerVersion: '17.12.01.0.5', signed: true },
  { imagePath: '/EWC/17_15_2_3', version: '17.15.2.3', controllerVersion: '17.15.02.0.3', signed: true },
  { imagePath: '/EWC/unsigned_17_13_1_1', version: '17.13.1.1', controllerVersion: '17.13.01.0.1', signed: false },
  { imagePath: '/EWC/no_ap1g4_17_14_1_2', version: '17.14.1.2', controllerVersion: '17.14.01.0.2', signed: false, missing: ['ap1g4'] },
  { imagePath: '/EWC/17_9_4_27', version: '17.9.4.27', controllerVersion: '17.09.04a.0.6', signed: true },
];
export const MISSING_IMAGE_PATH = '/Wrong-Path';

// A few KB per image: a step of the model takes milliseconds, yet every byte still crosses the real TFTP server and AP links.
const IMAGE_BYTES = 3000;

/**
 * Writes the model's image server tree under `root` (served by tftpd-hpa) and the vendor key folder
 * the console and the APs trust. Returns that folder, and the vendor's key to sign other releases with.
 */
export function writeModelBundles(root: string): { vendorKeyDir: string; vendorKey: KeyObject } {
  const vendorKey = generateKeyPairSync('ed25519').privateKey;
  const vendorKeyDir = path.join(root, 'vendor-keys');
  fs.mkdirSync(vendorKeyDir, { recursive: true });
  fs.writeFileSync(path.join(vendorKeyDir, 'model-vendor.pem'), createPublicKey(vendorKey).export({ type: 'spki', format: 'pem' }));
  for (const bundle of MODEL_BUNDLES) {
    const dir = path.join(root, 'tftp', bundle.imagePath);
    fs.mkdirSync(dir, { recursive: true });
    const images = [...AP_IMAGE_TYPES, CONTROLLER_IMAGE_FILE].filter((name) => !bundle.missing?.includes(name));
    const files: [string, Buffer][] = [
      ...images.map((name): [string, Buffer] => [name, randomBytes(IMAGE_BYTES)]),
      [VERSION_FILE, Buffer.from(`${bundle.version}\n`)],
      [CONTROLLER_VERSION_FILE, Buffer.from(`${bundle.controllerVersion}\n`)],
    ];
    for (const [name, bytes] of files) fs.writeFileSync(path.join(dir, name), bytes);
    if (!bundle.signed) continue;
    const manifest = createManifest(
      bundle.version,
      files.map(([name, bytes]) => ({ name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') })),
    );
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), manifest);
    fs.writeFileSync(path.join(dir, SIGNATURE_FILE), `${signManifest(manifest, vendorKey)}\n`);
  }
  return { vendorKeyDir, vendorKey };
}

export function bundleAt(imagePath: string): ModelBundle | null {
  return MODEL_BUNDLES.find((bundle) => bundle.imagePath === imagePath) ?? null;
}
