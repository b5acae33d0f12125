import fs from 'node:fs';
import { isHomogeneous, NON_HOMOGENEOUS_MESSAGE } from '../../lib/httpModeSettings';
import { VERSION_FILE } from '../../lib/imageBundle';
import type { AccessPointRecord } from '../store/accessPointRepository';
import type { StoredProfile } from '../store/profileRepository';
import type { DesktopUploads } from '../uploads/desktopUploads';
import { DESKTOP_TRUST_SOURCE, type DigestTrust, type TrustedDigest } from '../imageSigning/digestTrust';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { ImageFetchError, type ImageFetchOptions, type ImageFetchResult, type ImageSource } from './imageSource';

export interface DesktopSourceDeps {
  aps: () => AccessPointRecord[];
  uploads: DesktopUploads;
  /** The admins' trust decisions: an upload carries no vendor signature, so its SHA-256 must be trusted to be delivered. */
  digestTrust: DigestTrust;
}

/**
 * Desktop (HTTP) mode's image source: the one image the admin uploaded, served under the name of
 * the fleet's single image type, with the version the admin gave (pre-filled from the file name)
 * as `version.info`. It holds no controller image: `controller_version.info` and the controller
 * image answer "No such file or directory", as a bundle without them would. It has no signature
 * manifest either: each delivery asks whether an admin trusted the image's SHA-256.
 */
export class DesktopImageSource implements ImageSource {
  constructor(
    private readonly profile: StoredProfile,
    private readonly deps: DesktopSourceDeps,
  ) {}

  displayUrl(fileName: string): string {
    const uploaded = this.deps.uploads.image(this.profile.desktop.uploadId)?.fileName ?? this.profile.desktop.uploadId;
    return `desktop://${uploaded}${fileName ? `/${fileName}` : ''}`;
  }

  trustedDigest(_fileName: string, sha256: string): TrustedDigest | null {
    return this.deps.digestTrust.find(DESKTOP_TRUST_SOURCE, sha256);
  }

  async fetch(fileName: string, destination: string, options: ImageFetchOptions): Promise<ImageFetchResult> {
    const started = Date.now();
    const imageTypes = this.deps.aps().map((ap) => ap.imageType);
    if (!isHomogeneous(imageTypes)) throw new ImageFetchError(NON_HOMOGENEOUS_MESSAGE, false);
    if (fileName === VERSION_FILE) {
      fs.writeFileSync(destination, `${this.profile.desktop.version}\n`);
      return { bytes: fs.statSync(destination).size, elapsedMs: Date.now() - started, detail: 'version given with the upload' };
    }
    const image = this.deps.uploads.image(this.profile.desktop.uploadId);
    if (!image || fileName !== imageTypes[0]) throw new ImageFetchError('No such file or directory', false);
    const source = this.deps.uploads.filePath(image.uploadId);
    await fs.promises.copyFile(source, destination);
    options.onProgress(image.size, image.size);
    // The file on disk must still be the one whose SHA-256 the admin was shown.
    if ((await sha256OfFile(destination)) !== image.sha256) throw new ImageFetchError('SHA-256 mismatch: the uploaded file changed on disk', false);
    return { bytes: image.size, elapsedMs: Date.now() - started, detail: `uploaded ${image.fileName}, SHA-256 ${image.sha256.slice(0, 16)}… verified` };
  }
}
