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

/** The AP's space check before a transfer: upgrade.sh asks for the image plus room to unpack it, as the seed's PRECHECK lines show. */
export function precheckSpace(offer: ImageOffer, availableKb: number) {
  const requiredKb = Math.ceil(offer.size / 1024) + 1024;
  const ok = availableKb >= requiredKb;
  return { ok, availableKb, requiredKb, message: `upgrade.sh: /tmp space: ${ok ? 'OK' : 'NOT OK'} available ${availableKb}, required ${requiredKb}` };
}
