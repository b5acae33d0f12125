import fs from 'node:fs';
import path from 'node:path';
import { VERSION_FILE } from '../../lib/imageBundle';
import { ImageCache, type FetchReport } from '../imageSource/imageCache';
import { ImageFetchError, type ImageFetchOptions, type ImageSource } from '../imageSource/imageSource';

/**
 * The bundle's AP image version, or why it cannot be read, in the syslog's words. `fetched`: the file
 * came, but does not hold a version (a failed fetch was reported as it failed).
 */
export type BundleVersion = { ok: true; version: string } | { ok: false; url: string; reason: string; fetched: boolean };

// Outside text: one short token of the characters versions are made of (`17.12.1.5`, `17.9.4a`), nothing that could pass for more.
const VERSION = /^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/;

/** Reads `version.info` through a cache (so a run fetches it once); any failure is the answer, never a rejection. */
export async function readBundleVersion(source: ImageSource, cache: ImageCache, options: ImageFetchOptions, report?: FetchReport): Promise<BundleVersion> {
  const url = source.displayUrl(VERSION_FILE);
  let text: string;
  try {
    text = await cache.readText(VERSION_FILE, options, report);
  } catch (error) {
    return { ok: false, url, reason: error instanceof ImageFetchError ? error.reason : String(error), fetched: false };
  }
  return VERSION.test(text) ? { ok: true, version: text } : { ok: false, url, reason: 'The file does not hold an AP image version', fetched: true };
}

/**
 * Before a predownload is accepted: the bundle's version, read into a folder of its own under the data
 * folder (removed afterwards), so that the question "do some APs run it already?" is answered first.
 * Bounded by the source's own deadlines (TFTP retries, SFTP and catalog timeouts).
 */
export async function probeBundleVersion(source: ImageSource, dataDir: string, signal: AbortSignal, onProgress: (bytes: number) => void, report?: FetchReport): Promise<BundleVersion> {
  fs.mkdirSync(dataDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(dataDir, 'image-probe-'));
  try {
    return await readBundleVersion(source, new ImageCache(dir, source), { signal, onProgress }, report);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
