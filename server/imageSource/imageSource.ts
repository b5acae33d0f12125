import { logTextCut } from '../../lib/logText';
import type { TrustedDigest } from '../imageSigning/digestTrust';

/**
 * Where image files come from. An image source knows nothing about APs, and vouches for nothing:
 * a file is delivered only when the bundle's vendor signature covers it, an admin trusted its
 * SHA-256, or `EWC_REQUIRE_SIGNED_IMAGES=0` lets an unsigned bundle through (server/imageSigning).
 */
export interface ImageSource {
  /** The file's URL as the syslog shows it, credentials masked. */
  displayUrl(fileName: string): string;
  fetch(fileName: string, destination: string, options: ImageFetchOptions): Promise<ImageFetchResult>;
  /**
   * The admin's recorded trust of this file's SHA-256, for a source whose files carry no vendor
   * signature (a Desktop upload); asked again at each delivery. Absent: the source has none to give.
   */
  trustedDigest?(fileName: string, sha256: string): TrustedDigest | null;
  /**
   * An unsigned bundle of this source waits, its files fetched, for an admin to trust them
   * (`EWC_REQUIRE_SIGNED_IMAGES=ask`). Absent: trust comes before Save & Download (a Desktop upload) or not at all.
   */
  approvable?: boolean;
}

/** Where a bundle is, as the syslog and the history name it (credentials masked): its files' trust is recorded under it. */
export function bundleUrl(source: Pick<ImageSource, 'displayUrl'>): string {
  return source.displayUrl('').replace(/\/$/, '');
}

export interface ImageFetchOptions {
  signal: AbortSignal;
  /**
   * The bytes of the file held so far. A source calls it first with where the transfer starts (0, or
   * what a resumed file already holds) before any byte moves, so that what crosses the network is
   * what the later calls add (the console's count of bytes fetched from image servers).
   */
  onProgress: (bytes: number, totalBytes: number | null) => void;
}

export interface ImageFetchResult {
  bytes: number;
  elapsedMs: number;
  /** What the transfer negotiated, for the log, e.g. `blksize 1468, windowsize 16, tsize 70512640`. */
  detail: string;
}

// A reason may carry an image server's own words (a TFTP ERROR packet, an SFTP status message).
const REASON_MAX = 300;

/** A failed fetch; `reason` is the tail of the syslog line (`No such file or directory`, `Timed out`), any server text in it escaped. */
export class ImageFetchError extends Error {
  readonly reason: string;

  constructor(
    reason: string,
    readonly retryable: boolean,
    readonly cancelled = false,
  ) {
    const shown = logTextCut(reason, REASON_MAX);
    super(shown);
    this.reason = shown;
  }
}

/** The source has no image at all for this AP image type (a catalog release without it): its APs are Not Supported, not failed. */
export class ImageTypeNotOfferedError extends ImageFetchError {
  constructor(reason: string) {
    super(reason, false);
  }
}
