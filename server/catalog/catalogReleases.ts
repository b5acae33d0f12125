import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CONTROLLER_IMAGE_FILE } from '../../lib/imageBundle';
import { compareVersions } from '../../lib/firmwareCatalog';

/** A release as the catalog service publishes it: a folder holding one file per image type and the controller image. */
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
}

async function describe(file: string): Promise<PublishedFile> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return { path: file, size: fs.statSync(file).size, sha256: hash.digest('hex') };
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
    releases.push({ ...spec, images, controllerImage: await describe(path.join(spec.dir, CONTROLLER_IMAGE_FILE)) });
  }
  return releases.sort((a, b) => compareVersions(b.version, a.version));
}
