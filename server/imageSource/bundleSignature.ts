import fs from 'node:fs';
import type { ImageVerification, SignedManifest } from '../../lib/capwapEvents';
import type { CachedImage, ImageCache } from './imageCache';
import { bundleUrl, type ImageFetchOptions, type ImageSource } from './imageSource';
import type { UnsignedImagePolicy } from '../config';
import type { DigestTrust } from '../imageSigning/digestTrust';
import { checkImageAgainstManifest, loadTrustedVendorKeys, MANIFEST_FILE, SIGNATURE_FILE, VERIFY_FAILED, verifyBundleManifest, type ImageManifest, type Verified } from '../imageSigning/imageManifest';

/**
 * What Initiate found: a bundle whose vendor signature verified, an unsigned bundle (each image then
 * needs an admin's trust of its SHA-256, or `EWC_REQUIRE_SIGNED_IMAGES=0`), or the reason every image
 * of it is refused. With `EWC_REQUIRE_SIGNED_IMAGES=ask` an image server's unsigned bundle is held
 * until an admin trusted each file (server/orchestrator/bundleHold.ts).
 */
export type BundleSigning = Verified<{ kind: 'signed'; signed: SignedManifest; manifest: ImageManifest } | { kind: 'unsigned'; allowUnsigned: boolean }>;

export interface SigningPolicy {
  unsignedImages: UnsignedImagePolicy;
  vendorKeyDir: string;
  /** The version the bundle says it is (`version.info`, or the catalog's release): a signed manifest for another version is refused. */
  expectedVersion: string | null;
  /** The source can answer an admin's trust of an unsigned file's digest (a Desktop upload): an unsigned bundle is then decided per image. */
  acceptsTrustedDigests: boolean;
}

const NO_MANIFEST = `${VERIFY_FAILED}: the bundle has no signature manifest (${MANIFEST_FILE} and ${SIGNATURE_FILE}); EWC_REQUIRE_SIGNED_IMAGES=ask holds an unsigned bundle until an administrator trusts its files, 0 accepts it on SHA-256 only`;

/**
 * At Initiate: fetches the bundle's manifest and signature through the upgrade's image cache and
 * verifies them, whatever the source (an image server, a firmware catalog, an upload). A failure's
 * reason starts with "Image signing verify failed". A failure does not end the run here: each AP
 * fails when its image is ready, so a wrong image path still reads as the download failure of each
 * image type, as on the EWC.
 */
export async function readBundleSignature(cache: ImageCache, fetchOptions: (fileName: string) => ImageFetchOptions, policy: SigningPolicy): Promise<BundleSigning> {
  let signed: SignedManifest;
  try {
    // One after the other, like every bundle file in sequential mode: no fetch is left running when this returns.
    const manifest = await cache.get(MANIFEST_FILE, fetchOptions(MANIFEST_FILE));
    const signature = await cache.get(SIGNATURE_FILE, fetchOptions(SIGNATURE_FILE));
    signed = { manifest: fs.readFileSync(manifest.path, 'utf8'), signature: fs.readFileSync(signature.path, 'utf8') };
  } catch {
    // Unsigned and nothing that could vouch for an image instead: refused before any AP is offered a byte.
    if (policy.unsignedImages !== 'sha256-only' && !policy.acceptsTrustedDigests) return { ok: false, reason: NO_MANIFEST };
    return { ok: true, value: { kind: 'unsigned', allowUnsigned: policy.unsignedImages === 'sha256-only' } };
  }
  const verified = verifyBundleManifest(signed, loadTrustedVendorKeys(policy.vendorKeyDir));
  if (!verified.ok) return verified;
  if (policy.expectedVersion !== null && verified.value.version !== policy.expectedVersion) {
    return { ok: false, reason: `${VERIFY_FAILED}: the signed manifest is for version ${verified.value.version}, the bundle says ${policy.expectedVersion}` };
  }
  return { ok: true, value: { kind: 'signed', signed, manifest: verified.value } };
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

/**
 * Before a byte is delivered: what vouches for the cached image, which the AP's offer carries. A
 * signed bundle's image must be the one its manifest lists; an unsigned image needs an admin's
 * trust of its SHA-256, looked up now (a trust withdrawn or a file changed since Initiate is seen),
 * or the policy's consent to SHA-256 only. Anything else is refused.
 */
export function checkCachedImage(signing: BundleSigning | undefined, image: CachedImage, source: Pick<ImageSource, 'trustedDigest'>): Verified<ImageVerification> {
  if (!signing) return { ok: false, reason: `${VERIFY_FAILED}: the bundle's signature was not read` };
  if (!signing.ok) return signing;
  if (signing.value.kind === 'signed') {
    const checked = checkImageAgainstManifest(signing.value.manifest, image.fileName, image.size, image.sha256);
    return checked.ok ? { ok: true, value: { method: 'signature', signed: signing.value.signed } } : checked;
  }
  const trust = source.trustedDigest?.(image.fileName, image.sha256) ?? null;
  if (trust) return { ok: true, value: { method: 'trusted-digest', sha256: trust.sha256, trustedBy: trust.trustedBy, trustedAt: trust.trustedAt } };
  if (signing.value.allowUnsigned) return { ok: true, value: { method: 'sha256-only' } };
  if (!source.trustedDigest) return { ok: false, reason: NO_MANIFEST };
  return { ok: false, reason: `${VERIFY_FAILED}: ${image.fileName} is not signed and no administrator trusted its SHA-256 ${image.sha256}` };
}

/**
 * An image server's or catalog's bundle under `EWC_REQUIRE_SIGNED_IMAGES=ask`: its files may be trusted
 * by an admin, each by its SHA-256, recorded under the bundle's URL (a changed file, or the same name
 * on another server, is another decision). A source that has its own trust (a Desktop upload) keeps it.
 */
export function withBundleTrust(source: ImageSource, trust: DigestTrust): ImageSource {
  if (source.trustedDigest) return source;
  const location = bundleUrl(source);
  return {
    displayUrl: (fileName) => source.displayUrl(fileName),
    fetch: (fileName, destination, options) => source.fetch(fileName, destination, options),
    trustedDigest: (fileName, sha256) => trust.find(location, sha256, fileName),
    approvable: true,
  };
}
