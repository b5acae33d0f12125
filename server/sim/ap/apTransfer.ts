import type { createHash } from 'node:crypto';
import type fs from 'node:fs';
import type { ImageOffer } from '../../../lib/capwapEvents';

/** One image transfer an AP receives: where its blocks go and what it verified so far. */
export interface Transfer {
  offer: ImageOffer;
  /** Null when the AP keeps only the digest. */
  file: fs.promises.FileHandle | null;
  received: number;
  hash: ReturnType<typeof createHash>;
  /** Writes are chained so blocks land in order even if acks overlap. */
  writing: Promise<void>;
  /** Set when the transfer is dropped, so blocks still queued behind the link are not written. */
  dropped: boolean;
  /** The offered image is the one already verified and staged: no byte is needed (a controller that restarted before it recorded so). */
  alreadyStaged?: boolean;
}
