import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CONTROLLER_IMAGE_FILE } from '../../../lib/imageBundle';
import { compareVersions } from '../../../lib/firmwareCatalog';
import type { SignedManifest } from '../../../lib/capwapEvents';
import { MANIFEST_FILE, SIGNATURE_FILE } from '../../imageSigning/imageManifest';

/**
 * A release as the catalog service publishes it: a folder holding one file per image type and the
 * controller image, and the vendor's signature manifest (`image-manifest.json` and its `.sig`) when
 * the vendor signed it, as a signed bundle carries them.
 */
export interface CatalogReleaseSpec {
  version: string;
  controllerVersion: string;
  recommended: boolean;
  dir: string;
}

export interface PublishedFile {
  path: string;
  size: number;
  sha256: string;
}

export interface PublishedRelease {
  version: string;
  controllerVersion: string;
  recommended: boolean;
  /** Image type → its file. */
  images: Map<string, PublishedFile>;
  controllerImage: PublishedFile;
  /** Served with the release, byte for byte; null when the folder holds none. */
  signedManifest: SignedManifest | null;
}

async function describe(file: string): Promise<PublishedFile> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return { path: file, size: fs.statSync(file).size, sha256: hash.digest('hex') };
}

function readSignedManifest(dir: string): SignedManifest | null {
  const manifest = path.join(dir, MANIFEST_FILE);
  const signature = path.join(dir, SIGNATURE_FILE);
  if (!fs.existsSync(manifest) || !fs.existsSync(signature)) return null;
  return { manifest: fs.readFileSync(manifest, 'utf8'), signature: fs.readFileSync(signature, 'utf8').trim() };
}

/** Reads each release folder once at start: sizes and SHA-256 of every file, newest release first. */
export async function publishReleases(specs: readonly CatalogReleaseSpec[]): Promise<PublishedRelease[]> {
  const releases: PublishedRelease[] = [];
  for (const spec of specs) {
    const images = new Map<string, PublishedFile>();
    for (const name of fs.readdirSync(spec.dir).sort()) {
      if (name === CONTROLLER_IMAGE_FILE || name.includes('.')) continue;
      images.set(name, await describe(path.join(spec.dir, name)));
    }
    releases.push({ ...spec, images, controllerImage: await describe(path.join(spec.dir, CONTROLLER_IMAGE_FILE)), signedManifest: readSignedManifest(spec.dir) });
  }
  return releases.sort((a, b) => compareVersions(b.version, a.version));
}
