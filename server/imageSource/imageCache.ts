import fs from 'node:fs';
import { sha256OfFile } from '../imageSigning/fileDigest';
import path from 'node:path';
import { ImageFetchError, type ImageFetchOptions, type ImageSource } from './imageSource';

export interface CachedImage {
  fileName: string;
  path: string;
  size: number;
  sha256: string;
  /** How the file came from the image server: time and what the protocol negotiated. */
  elapsedMs: number;
  detail: string;
}

/**
 * Told about each fetch the cache really makes from the image server (a file it already holds is not
 * fetched): when it starts, and how it ended. A cancelled fetch ends neither way.
 */
export interface FetchReport {
  started(): void;
  fetched(image: CachedImage): void;
  failed(error: ImageFetchError): void;
}

/** Where a console keeps the images it fetched: one folder per upgrade, under its data folder. */
export function imageCacheRootOf(dataDir: string): string {
  return path.join(dataDir, 'image-cache');
}

export function imageCacheDirOf(dataDir: string, upgradeId: number): string {
  return path.join(imageCacheRootOf(dataDir), `upgrade-${upgradeId}`);
}

/**
 * The seam between image sources and AP sessions: each file is fetched from the
 * image server once per upgrade, and every AP of that image type is fed from here.
 */
export class ImageCache {
  private readonly inFlight = new Map<string, Promise<CachedImage>>();

  constructor(
    private readonly dir: string,
    private readonly source: ImageSource,
  ) {}

  /** Fetches the file unless this upgrade already has it; a failed fetch is forgotten so a retry fetches again. */
  get(fileName: string, options: ImageFetchOptions, report?: FetchReport): Promise<CachedImage> {
    const existing = this.inFlight.get(fileName);
    if (existing) return existing;
    const fetching = report ? this.reported(this.fetch(fileName, options, report), options, report) : this.fetch(fileName, options);
    this.inFlight.set(fileName, fetching);
    fetching.catch(() => this.inFlight.delete(fileName));
    return fetching;
  }

  private async reported(fetching: Promise<CachedImage>, options: ImageFetchOptions, report: FetchReport): Promise<CachedImage> {
    try {
      const image = await fetching;
      report.fetched(image);
      return image;
    } catch (error) {
      const failure = error instanceof ImageFetchError ? error : new ImageFetchError(String(error), true);
      if (!failure.cancelled && !options.signal.aborted) report.failed(failure);
      throw error;
    }
  }

  private async fetch(fileName: string, options: ImageFetchOptions, report?: FetchReport): Promise<CachedImage> {
    fs.mkdirSync(this.dir, { recursive: true });
    const destination = path.join(this.dir, fileName);
    report?.started();
    const result = await this.source.fetch(fileName, destination, options);
    const size = fs.statSync(destination).size;
    if (size !== result.bytes) throw new ImageFetchError(`Short read: ${size} of ${result.bytes} bytes`, true);
    return { fileName, path: destination, size, sha256: await sha256OfFile(destination), elapsedMs: result.elapsedMs, detail: result.detail };
  }

  /** Takes a file already in this cache, checked against its recorded SHA-256, as fetched (a resumed run). */
  adopt(image: CachedImage): void {
    this.inFlight.set(image.fileName, Promise.resolve(image));
  }

  /** Where a file of this cache lives (complete or, for SFTP, as `.part` beside it). */
  pathOf(fileName: string): string {
    return path.join(this.dir, fileName);
  }

  /** Reads a small text file of the bundle (version.info) through the cache. */
  async readText(fileName: string, options: ImageFetchOptions, report?: FetchReport): Promise<string> {
    const image = await this.get(fileName, options, report);
    return fs.readFileSync(image.path, 'utf8').trim();
  }

  /** Removes this cache's files; called when the upgrade that owns it ends. */
  clear(): void {
    this.inFlight.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
