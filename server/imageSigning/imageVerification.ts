import type { KeyObject } from 'node:crypto';
import type { ImageVerification } from '../../lib/capwapEvents';
import { checkImageAgainstManifest, VERIFY_FAILED, verifyBundleManifest, type Verified } from './imageManifest';

/** What was verified, in the words of the AP's status line and the controller's AP event: never "signing" without a signature. */
export function verifiedWords(verification: ImageVerification): string {
  if (verification.method === 'signature') return 'Image signing verify success';
  if (verification.method === 'trusted-digest') return `Image verify success (SHA-256 trusted by ${verification.trustedBy}: the image is not signed)`;
  return 'Image verify success (SHA-256 only: the bundle is not signed)';
}

/**
 * An AP's check before it stages an image, against what the offer says vouches for it: a signed
 * manifest is verified with the AP's own vendor keys and must list the image; an admin's trust must
 * name this very SHA-256; SHA-256 only is what the controller's policy allowed. Answers the AP's
 * status line, which says which it was.
 */
export function verifyOfferedImage(verification: ImageVerification | undefined, vendorKeys: KeyObject[], fileName: string, size: number, sha256: string): Verified<string> {
  // The offer crosses the network: anything but the three known ways to vouch for an image is refused.
  if (!verification || !['signature', 'trusted-digest', 'sha256-only'].includes(verification.method)) {
    return { ok: false, reason: `${VERIFY_FAILED}: the offer does not say what vouches for the image` };
  }
  if (verification.method === 'signature') {
    const manifest = verifyBundleManifest(verification.signed, vendorKeys);
    if (!manifest.ok) return manifest;
    const checked = checkImageAgainstManifest(manifest.value, fileName, size, sha256);
    if (!checked.ok) return checked;
  } else if (verification.method === 'trusted-digest' && verification.sha256 !== sha256) {
    return { ok: false, reason: `${VERIFY_FAILED}: the image's sha256 ${sha256} is not the one the administrator trusted (${verification.sha256})` };
  }
  return { ok: true, value: `${verifiedWords(verification)}.` };
}
