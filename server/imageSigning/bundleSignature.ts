import fs from 'node:fs';
import type { SignedManifest } from '../../lib/capwapEvents';
import type { CachedImage, ImageCache } from '../imageSource/imageCache';
import type { ImageFetchOptions } from '../imageSource/imageSource';
import { checkImageAgainstManifest, loadTrustedVendorKeys, MANIFEST_FILE, SIGNATURE_FILE, VERIFY_FAILED, verifyBundleManifest, type ImageManifest, type Verified } from './imageManifest';

export interface BundleSignature {
  signed: SignedManifest;
  manifest: ImageManifest;
}

/** What Initiate found: a verified manifest, an unsigned bundle the policy lets through (null), or the reason every image of it is refused. */
export type BundleSigning = Verified<BundleSignature | null>;

export interface SigningPolicy {
  requireSignedImages: boolean;
  vendorKeyDir: string;
}

/**
 * At Initiate: fetches the bundle's manifest and signature through the upgrade's image cache and
 * verifies them. `null` means the bundle is unsigned and the policy lets it through
 * (`EWC_REQUIRE_SIGNED_IMAGES=0`); a failure's reason starts with "Image signing verify failed".
 * A failure does not end the run here: each AP fails when its image is ready, so a wrong
 * image path still reads as the download failure of each image type, as on the EWC.
 */
export async function readBundleSignature(cache: ImageCache, fetchOptions: (fileName: string) => ImageFetchOptions, policy: SigningPolicy): Promise<BundleSigning> {
  let signed: SignedManifest;
  try {
    // One after the other, like every bundle file in sequential mode: no fetch is left running when this returns.
    const manifest = await cache.get(MANIFEST_FILE, fetchOptions(MANIFEST_FILE));
    const signature = await cache.get(SIGNATURE_FILE, fetchOptions(SIGNATURE_FILE));
    signed = { manifest: fs.readFileSync(manifest.path, 'utf8'), signature: fs.readFileSync(signature.path, 'utf8') };
  } catch {
    if (!policy.requireSignedImages) return { ok: true, value: null };
    return { ok: false, reason: `${VERIFY_FAILED}: the bundle has no signature manifest (${MANIFEST_FILE} and ${SIGNATURE_FILE}); EWC_REQUIRE_SIGNED_IMAGES=0 accepts unsigned bundles` };
  }
  const verified = verifyBundleManifest(signed, loadTrustedVendorKeys(policy.vendorKeyDir));
  return verified.ok ? { ok: true, value: { signed, manifest: verified.value } } : verified;
}

/**
 * A run's signing result, which a delivery can wait for even before Initiate reads it (an AP
 * that joins during Initiate). Initiate reads it after the version files, never beside them:
 * an SFTP server that refused the login must not see a second attempt.
 */
export class SigningGate {
  readonly result: Promise<BundleSigning>;
  private settle!: (reading: Promise<BundleSigning>) => void;

  constructor() {
    this.result = new Promise((resolve) => (this.settle = resolve));
  }

  read(cache: ImageCache, fetchOptions: (fileName: string) => ImageFetchOptions, policy: SigningPolicy): Promise<BundleSigning> {
    this.settle(readBundleSignature(cache, fetchOptions, policy));
    return this.result;
  }
}

/** Before a byte is delivered: the cached image against the signed manifest. Resolves with what the AP's offer carries (nothing for an unsigned bundle). */
export function checkCachedImage(signing: BundleSigning | undefined, image: CachedImage): Verified<SignedManifest | undefined> {
  if (!signing) return { ok: false, reason: `${VERIFY_FAILED}: the bundle's signature was not read` };
  if (!signing.ok) return signing;
  if (!signing.value) return { ok: true, value: undefined };
  const checked = checkImageAgainstManifest(signing.value.manifest, image.fileName, image.size, image.sha256);
  return checked.ok ? { ok: true, value: signing.value.signed } : checked;
}
