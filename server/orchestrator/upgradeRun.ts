import type { ImageKind } from '../../lib/capwapEvents';
import type { ImageFetchProgress } from '../../lib/upgradeStage';
import type { ImageCache } from '../imageSource/imageCache';
import type { ImageSource } from '../imageSource/imageSource';

/** One bundle file to fetch once and deliver to a set of APs. */
export interface ImageJob {
  fileName: string;
  kind: ImageKind;
  /** The image type it serves (`ap1g7`), or null for the controller image. */
  imageType: string | null;
  fetched: boolean;
}

/** The in-memory side of one running upgrade: what cannot be a row in the store. */
export class UpgradeRun {
  readonly abort = new AbortController();
  readonly jobs: ImageJob[] = [];
  /** The image kinds each AP still has to receive. */
  readonly pending = new Map<string, Set<ImageKind>>();
  readonly retryTimers = new Map<string, NodeJS.Timeout>();
  /** Bytes fetched so far of each file being fetched from the image server. */
  readonly fetches = new Map<string, ImageFetchProgress>();
  attempt = 0;
  targetVersion: string | null = null;
  targetControllerVersion: string | null = null;

  constructor(
    readonly id: number,
    readonly source: ImageSource,
    readonly cache: ImageCache,
    readonly parallelMode: boolean,
  ) {}

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  jobFor(kind: ImageKind, imageType: string): ImageJob | undefined {
    return this.jobs.find((job) => job.kind === kind && (kind === 'controller' || job.imageType === imageType));
  }

  nextTransferId(mac: string, kind: ImageKind): string {
    this.attempt += 1;
    return `${this.id}-${kind}-${mac}-${this.attempt}`;
  }

  clearRetry(mac: string): void {
    const timer = this.retryTimers.get(mac);
    if (timer) clearTimeout(timer);
    this.retryTimers.delete(mac);
  }

  dispose(): void {
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
  }
}
