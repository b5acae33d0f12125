import fs from 'node:fs';
import { CatalogError } from '../catalog/catalogError';
import type { TlsRequestOptions } from '../catalog/tlsConnection';
import { httpsDownload } from './httpsDownload';
import { ImageFetchError, type ImageFetchOptions, type ImageFetchResult, type ImageSource } from './imageSource';

/**
 * What a bundle file name stands for: a file to download (with its announced size and hash), a
 * short text written as it is (`version.info`, a signature manifest), or a file the console
 * refuses to fetch, and why.
 */
export type HttpsBundleEntry = { kind: 'file'; url: string; size: number; sha256: string } | { kind: 'text'; text: string } | { kind: 'refused'; reason: string };

export interface HttpsSourceSettings {
  /** Maps a bundle file name onto what to fetch; null when the release has no such file. */
  resolve: (fileName: string, signal: AbortSignal) => Promise<HttpsBundleEntry | null>;
  /** The URL the syslog shows for a file name. */
  displayUrl: (fileName: string) => string;
  tls: Omit<TlsRequestOptions, 'signal'>;
}

export function toImageFetchError(error: unknown): ImageFetchError {
  if (error instanceof ImageFetchError) return error;
  if (error instanceof CatalogError) return new ImageFetchError(error.reason, error.retryable, error.code === 'cancelled');
  return new ImageFetchError(error instanceof Error ? error.message : String(error), true);
}

/** Fetches bundle files over HTTPS: resumable with `Range`, each checked against its announced size and SHA-256. */
export class HttpsImageSource implements ImageSource {
  constructor(private readonly settings: HttpsSourceSettings) {}

  displayUrl(fileName: string): string {
    return this.settings.displayUrl(fileName);
  }

  async fetch(fileName: string, destination: string, options: ImageFetchOptions): Promise<ImageFetchResult> {
    const started = Date.now();
    try {
      const entry = await this.settings.resolve(fileName, options.signal);
      // An image type the release lacks: the APs of that type are not supported by it.
      if (!entry) throw new ImageFetchError('No such file or directory', false);
      if (entry.kind === 'refused') throw new ImageFetchError(entry.reason, false);
      if (entry.kind === 'text') {
        fs.writeFileSync(destination, entry.text);
        return { bytes: Buffer.byteLength(entry.text), elapsedMs: Date.now() - started, detail: 'from the catalog answer' };
      }
      const result = await httpsDownload({ ...this.settings.tls, url: entry.url, destination, size: entry.size, sha256: entry.sha256, signal: options.signal, onProgress: options.onProgress });
      const resumed = result.resumedFrom > 0 ? `, resumed at byte ${result.resumedFrom}` : '';
      return { bytes: result.bytes, elapsedMs: result.elapsedMs, detail: `https, SHA-256 ${entry.sha256.slice(0, 16)}… matches the catalog's${resumed}` };
    } catch (error) {
      throw toImageFetchError(error);
    }
  }
}
