import { randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeSignedManifest } from '../../imageSigning/imageManifest';
import { DEMO_CONTROLLER_VERSION, DEMO_FLEET_VERSION } from './demoFleet';
import { AP_IMAGE_TYPES, CONTROLLER_IMAGE_FILE, CONTROLLER_VERSION_FILE, README_FILE, REAL_IMAGE_SIZES, VERSION_FILE } from '../../../lib/imageBundle';

export const DEMO_BUNDLE_VERSION = '17.12.1.5';
export const DEMO_BUNDLE_CONTROLLER_VERSION = '17.12.01.0.5';
/** Where the bundle sits below the demo image server's root, as in the seed (`/EWC/17_9_4a`). */
export const DEMO_IMAGE_PATH = '/EWC/17_12_1_5';
/**
 * The bundle of the version the demo controller and fleet run (`17.9.4.27`), as the seed's server holds `EWC_17_9_4a`:
 * a profile saved with this path gives APs that join on another version the controller's own.
 */
export const DEMO_CURRENT_BUNDLE: DemoBundleVersion = { version: DEMO_FLEET_VERSION, controllerVersion: DEMO_CONTROLLER_VERSION, imagePath: '/EWC/EWC_17_9_4a' };

/** Which bundle: its AP image version (`version.info`), controller version and place below the server's root. */
export interface DemoBundleVersion {
  version: string;
  controllerVersion: string;
  imagePath: string;
}
// Scaled images keep the real proportions and make a demo run take seconds, not minutes.
const SCALE_DOWN = 64;

export interface DemoBundle {
  root: string;
  imagePath: string;
  files: { name: string; size: number }[];
}

/**
 * Writes the demo AP bundle once (files named as in the seed) and reuses it on later starts.
 * `size`: the real sizes, 1/64 of them, or (load tests) the same number of bytes for every image.
 * With a vendor key it also writes the signature manifest (server/imageSigning), signed with it.
 */
export function ensureDemoBundle(
  serverRoot: string,
  size: 'scaled' | 'real' | number,
  vendorKey?: KeyObject,
  { version, controllerVersion, imagePath }: DemoBundleVersion = { version: DEMO_BUNDLE_VERSION, controllerVersion: DEMO_BUNDLE_CONTROLLER_VERSION, imagePath: DEMO_IMAGE_PATH },
): DemoBundle {
  const dir = path.join(serverRoot, imagePath);
  fs.mkdirSync(dir, { recursive: true });
  const images = [...AP_IMAGE_TYPES, CONTROLLER_IMAGE_FILE] as const;
  const files: { name: string; size: number }[] = [];
  for (const name of images) {
    const bytes = typeof size === 'number' ? size : size === 'real' ? REAL_IMAGE_SIZES[name] : Math.ceil(REAL_IMAGE_SIZES[name] / SCALE_DOWN);
    writeRandomFile(path.join(dir, name), bytes);
    files.push({ name, size: bytes });
  }
  const texts: [string, string][] = [
    [VERSION_FILE, `${version}\n`],
    [CONTROLLER_VERSION_FILE, `${controllerVersion}\n`],
    [
      README_FILE,
      `Demo AP image bundle ${version} for the EWC Software Upgrade console.\nThe image files hold random bytes of ${typeof size === 'number' ? `${size} bytes each instead of the real` : size === 'real' ? 'the real' : `1/${SCALE_DOWN} of the real`} sizes; they are for exercising the transfer path, not for booting an access point.\n`,
    ],
  ];
  for (const [name, text] of texts) {
    fs.writeFileSync(path.join(dir, name), text);
    files.push({ name, size: Buffer.byteLength(text) });
  }
  if (vendorKey)
    writeSignedManifest(
      dir,
      version,
      files.map((file) => file.name),
      vendorKey,
    );
  return { root: serverRoot, imagePath, files };
}

export function writeRandomFile(file: string, bytes: number): void {
  if (fs.existsSync(file) && fs.statSync(file).size === bytes) return;
  const fd = fs.openSync(`${file}.tmp`, 'w');
  try {
    const chunk = 1 << 20;
    for (let written = 0; written < bytes; written += chunk) fs.writeSync(fd, randomBytes(Math.min(chunk, bytes - written)));
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(`${file}.tmp`, file);
}
