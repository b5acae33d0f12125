/** Where image files come from. An image source knows nothing about APs. */
export interface ImageSource {
  /** The file's URL as the syslog shows it, credentials masked. */
  displayUrl(fileName: string): string;
  fetch(fileName: string, destination: string, options: ImageFetchOptions): Promise<ImageFetchResult>;
  /**
   * How the source itself vouches for every file, when it does (a firmware catalog's SHA-256 over a
   * verified TLS connection, an image the admin uploaded): a bundle from it without a vendor
   * signature manifest is not refused by `EWC_REQUIRE_SIGNED_IMAGES`, and the log says why.
   */
  readonly ownIntegrity?: string;
}

export interface ImageFetchOptions {
  signal: AbortSignal;
  onProgress: (bytes: number, totalBytes: number | null) => void;
}

export interface ImageFetchResult {
  bytes: number;
  elapsedMs: number;
  /** What the transfer negotiated, for the log, e.g. `blksize 1468, windowsize 16, tsize 70512640`. */
  detail: string;
}

/** A failed fetch; `reason` is the tail of the syslog line (`No such file or directory`, `Timed out`). */
export class ImageFetchError extends Error {
  constructor(
    readonly reason: string,
    readonly retryable: boolean,
    readonly cancelled = false,
  ) {
    super(reason);
  }
}

/** The source has no image at all for this AP image type (a catalog release without it): its APs are Not Supported, not failed. */
export class ImageTypeNotOfferedError extends ImageFetchError {
  constructor(reason: string) {
    super(reason, false);
  }
}
