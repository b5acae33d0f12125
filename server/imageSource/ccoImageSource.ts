import type { CatalogFile, CatalogRelease } from '../../lib/firmwareCatalog';
import { CONTROLLER_IMAGE_FILE, CONTROLLER_VERSION_FILE, VERSION_FILE, isImageType } from '../../lib/imageBundle';
import { MANIFEST_FILE, SIGNATURE_FILE } from '../imageSigning/imageManifest';
import { HttpsImageSource, type HttpsBundleEntry } from './httpsImageSource';
import { ImageTypeNotOfferedError } from './imageSource';
import type { AccessPointRecord } from '../store/accessPointRepository';
import type { StoredProfile } from '../store/profileRepository';
import { firmwareCheck } from '../catalog/catalogClient';
import { CatalogError } from '../catalog/catalogError';
import type { CatalogNetwork } from '../catalog/catalogNetwork';
import { catalogClientOptions, catalogTrust, fleetCheckRequest, type CatalogCaller } from '../catalog/catalogSettings';
import { targetVersion } from '../catalog/fleetCheck';

export interface CcoSourceDeps {
  aps: () => AccessPointRecord[];
  controllerVersion: () => string;
  network: CatalogNetwork;
  caller: CatalogCaller;
}

/**
 * Why the console will not fetch a file the catalog announces, or null: a URL on another origin
 * than the catalog's own (unless EWC_CATALOG_IMAGE_ORIGINS lists it), or a size beyond what the
 * console accepts. Both are the catalog's word, so both are checked before a connection is made.
 */
function catalogFileProblem(file: CatalogFile, catalogUrl: string, network: Pick<CatalogNetwork, 'imageOrigins' | 'maxImageBytes'>): string | null {
  const own = new URL(catalogUrl).origin;
  const origin = new URL(file.url).origin;
  if (origin !== own && !network.imageOrigins.includes(origin)) {
    return `The catalog's URL for ${file.name} is on ${origin}, not on the catalog's own ${own} (EWC_CATALOG_IMAGE_ORIGINS allows other origins)`;
  }
  if (file.size > network.maxImageBytes) {
    return `The catalog announces ${file.name} at ${file.size} bytes, more than the ${network.maxImageBytes} bytes this console accepts (EWC_UPLOAD_MAX_BYTES)`;
  }
  return null;
}

/**
 * CCO mode's image source: on the first file asked for it runs a firmware check for the fleet,
 * picks the release the profile chooses, and maps the bundle's file names onto that release's
 * files: `version.info` and `controller_version.info` from the answer, the vendor's signature
 * manifest served with the release (`image-manifest.json` and its `.sig`, verified at Initiate as a
 * server's bundle is), the controller image, and each image type's file. An image type the release
 * lacks is not offered: its APs end Not Supported.
 */
export function createCcoImageSource(profile: StoredProfile, deps: CcoSourceDeps): HttpsImageSource {
  const { catalogUrl, release } = profile.cco;
  const base = `${catalogUrl.replace(/\/+$/, '')}/firmware/${release}`;
  let plan: Promise<{ version: string; files: Map<string, HttpsBundleEntry> }> | null = null;
  // A refused login or certificate stops this upgrade's other fetches from asking again.
  let refusal: CatalogError | null = null;

  const fileEntry = (file: CatalogFile): HttpsBundleEntry => {
    const problem = catalogFileProblem(file, catalogUrl, deps.network);
    return problem ? { kind: 'refused', reason: problem } : { kind: 'file', url: file.url, size: file.size, sha256: file.sha256 };
  };

  const buildPlan = async (signal: AbortSignal): Promise<{ version: string; files: Map<string, HttpsBundleEntry> }> => {
    const answer = await firmwareCheck(await catalogClientOptions(profile, deps.network, deps.caller, signal), await fleetCheckRequest(deps.aps(), deps.controllerVersion(), deps.caller));
    const version = targetVersion(answer, release);
    if (!version) throw new CatalogError('not-found', `No release ${release} in the catalog for this network`);
    const files = new Map<string, HttpsBundleEntry>();
    let first: CatalogRelease | null = null;
    for (const entry of answer.imageTypes) {
      const chosen = entry.releases.find((r) => r.version === version);
      if (!chosen) continue;
      files.set(entry.imageType, fileEntry(chosen.image));
      first ??= chosen;
    }
    if (first) {
      files.set(CONTROLLER_IMAGE_FILE, fileEntry(first.controllerImage));
      files.set(VERSION_FILE, { kind: 'text', text: `${first.version}\n` });
      files.set(CONTROLLER_VERSION_FILE, { kind: 'text', text: `${first.controllerVersion}\n` });
      // Byte for byte as the vendor signed it; a release without one reads as an unsigned bundle.
      if (first.signedManifest) {
        files.set(MANIFEST_FILE, { kind: 'text', text: first.signedManifest.manifest });
        files.set(SIGNATURE_FILE, { kind: 'text', text: first.signedManifest.signature });
      }
    }
    return { version, files };
  };

  return new HttpsImageSource({
    displayUrl: (fileName) => (fileName ? `${base}/${fileName}` : base),
    tls: { trust: catalogTrust(profile), network: deps.network },
    resolve: async (fileName, signal) => {
      if (refusal) throw refusal;
      plan ??= buildPlan(signal);
      let chosen: Awaited<typeof plan>;
      try {
        chosen = await plan;
      } catch (error) {
        plan = null;
        if (error instanceof CatalogError && (error.code === 'auth' || error.code === 'certificate' || error.code === 'refused')) refusal = error;
        throw error;
      }
      const entry = chosen.files.get(fileName);
      if (!entry && isImageType(fileName)) throw new ImageTypeNotOfferedError(`The catalog's release ${chosen.version} has no image for ${fileName}`);
      return entry ?? null;
    },
  });
}
