import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { CatalogError } from '../catalog/catalogError';
import { tlsRequest, toCatalogError, type TlsRequestOptions } from '../catalog/tlsConnection';
import { sha256OfFile } from '../imageSigning/fileDigest';

export interface HttpsDownloadOptions extends TlsRequestOptions {
  url: string;
  destination: string;
  /** The size and SHA-256 the catalog announced: the file is refused unless both match. */
  size: number;
  sha256: string;
  onProgress?: (bytes: number, totalBytes: number) => void;
}

export interface HttpsDownloadResult {
  bytes: number;
  /** Where this attempt started: the bytes an earlier, cut attempt had already written. */
  resumedFrom: number;
  /** Bytes that crossed the network in this attempt. */
  transferred: number;
  elapsedMs: number;
}

function partialSize(file: string, size: number): number {
  try {
    const have = fs.statSync(file).size;
    return have <= size ? have : 0;
  } catch {
    return 0;
  }
}

/**
 * Downloads one file over verified HTTPS into `destination`. A partial file left by a cut is
 * continued with `Range: bytes=N-`, so no byte crosses the network twice; a server that
 * ignores the range (200) starts it over. Size and SHA-256 are checked at the end, and a
 * file that does not match is removed so that the next attempt starts clean.
 */
export async function httpsDownload(options: HttpsDownloadOptions): Promise<HttpsDownloadResult> {
  const started = Date.now();
  let offset = partialSize(options.destination, options.size);
  if (offset === options.size && (await sha256OfFile(options.destination)) === options.sha256) {
    return { bytes: offset, resumedFrom: offset, transferred: 0, elapsedMs: Date.now() - started };
  }
  if (offset === options.size) offset = 0;
  const url = new URL(options.url);
  const response = await tlsRequest(url, { method: 'GET', headers: offset > 0 ? { range: `bytes=${offset}-` } : {} }, options);
  const status = response.statusCode ?? 0;
  if (status === 404) {
    response.resume();
    throw new CatalogError('not-found', 'No such file or directory');
  }
  if (status === 401 || status === 403) {
    response.resume();
    throw new CatalogError('auth', 'Permission denied');
  }
  if (status === 206) {
    const match = /^bytes (\d+)-\d+\/(\d+)$/.exec(String(response.headers['content-range'] ?? ''));
    if (!match || Number(match[1]) !== offset) {
      response.resume();
      fs.rmSync(options.destination, { force: true });
      throw new CatalogError('protocol', 'The server answered another range than the one asked for');
    }
  } else if (status === 200) {
    offset = 0;
  } else {
    response.resume();
    if (status === 416) fs.rmSync(options.destination, { force: true });
    throw new CatalogError('protocol', `The server answered ${status}`);
  }

  let written = offset;
  options.onProgress?.(offset, options.size);
  const progress = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      written += chunk.length;
      if (written > options.size) return done(new CatalogError('integrity', `Size mismatch: more than the announced ${options.size} bytes`));
      options.onProgress?.(written, options.size);
      done(null, chunk);
    },
  });
  const file = fs.createWriteStream(options.destination, { flags: offset > 0 ? 'a' : 'w' });
  try {
    await pipeline(response, progress, file, { signal: options.signal });
  } catch (error) {
    // A write still in flight would land after the next attempt measured the partial file: wait for it.
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
    if (options.signal?.aborted) throw new CatalogError('cancelled', 'Cancelled');
    if (error instanceof CatalogError) {
      if (error.code === 'integrity') fs.rmSync(options.destination, { force: true });
      throw error;
    }
    throw toCatalogError(error);
  }
  // A response cut short ends without an error on some paths: the size says so.
  if (written !== options.size) throw new CatalogError('unreachable', `Connection closed at byte ${written} of ${options.size}`);
  if ((await sha256OfFile(options.destination)) !== options.sha256) {
    fs.rmSync(options.destination, { force: true });
    throw new CatalogError('integrity', 'SHA-256 mismatch: the file is not the one the catalog announced');
  }
  return { bytes: written, resumedFrom: offset, transferred: written - offset, elapsedMs: Date.now() - started };
}
