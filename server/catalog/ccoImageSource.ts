import { CONTROLLER_IMAGE_FILE, CONTROLLER_VERSION_FILE, VERSION_FILE, isImageType } from '../../lib/imageBundle';
import { HttpsImageSource, type HttpsBundleEntry } from '../imageSource/httpsImageSource';
import { ImageTypeNotOfferedError } from '../imageSource/imageSource';
import type { AccessPointRecord } from '../store/accessPointRepository';
import type { StoredProfile } from '../store/profileRepository';
import { firmwareCheck } from './catalogClient';
import { CatalogError } from './catalogError';
import { catalogClientOptions } from './catalogSettings';
import { firmwareCheckRequest, targetVersion } from './fleetCheck';

export interface CcoSourceDeps {
  aps: () => AccessPointRecord[];
  controllerVersion: () => string;
  timeoutMs: number;
}

/**
 * CCO mode's image source: on the first file asked for it runs a firmware check for the fleet,
 * picks the release the profile chooses, and maps the bundle's file names onto that release's
 * files: `version.info` and `controller_version.info` from the answer, the controller image, and
 * each image type's file. An image type the release lacks is not offered: its APs end Not Supported.
 */
export function createCcoImageSource(profile: StoredProfile, deps: CcoSourceDeps): HttpsImageSource {
  const { catalogUrl, release } = profile.cco;
  const base = `${catalogUrl.replace(/\/+$/, '')}/firmware/${release}`;
  let plan: Promise<{ version: string; files: Map<string, HttpsBundleEntry> }> | null = null;
  // A refused login or certificate stops this upgrade's other fetches from asking again.
  let refusal: CatalogError | null = null;

  const buildPlan = async (signal: AbortSignal): Promise<{ version: string; files: Map<string, HttpsBundleEntry> }> => {
    const answer = await firmwareCheck(catalogClientOptions(profile, deps.timeoutMs, signal), firmwareCheckRequest(deps.aps(), deps.controllerVersion()));
    const version = targetVersion(answer, release);
    if (!version) throw new CatalogError('not-found', `No release ${release} in the catalog for this network`);
    const files = new Map<string, HttpsBundleEntry>();
    for (const entry of answer.imageTypes) {
      const chosen = entry.releases.find((r) => r.version === version);
      if (!chosen) continue;
      files.set(entry.imageType, { kind: 'file', ...chosen.image });
      if (!files.has(CONTROLLER_IMAGE_FILE)) {
        files.set(CONTROLLER_IMAGE_FILE, { kind: 'file', ...chosen.controllerImage });
        files.set(VERSION_FILE, { kind: 'text', text: chosen.version });
        files.set(CONTROLLER_VERSION_FILE, { kind: 'text', text: chosen.controllerVersion });
      }
    }
    return { version, files };
  };

  return new HttpsImageSource({
    displayUrl: (fileName) => (fileName ? `${base}/${fileName}` : base),
    tls: { trust: { caPem: profile.cco.caCertificate || null, fingerprint: profile.cco.certificateFingerprint || null }, timeoutMs: deps.timeoutMs },
    resolve: async (fileName, signal) => {
      if (refusal) throw refusal;
      plan ??= buildPlan(signal);
      let chosen: Awaited<typeof plan>;
      try {
        chosen = await plan;
      } catch (error) {
        plan = null;
        if (error instanceof CatalogError && (error.code === 'auth' || error.code === 'certificate')) refusal = error;
        throw error;
      }
      const entry = chosen.files.get(fileName);
      if (!entry && isImageType(fileName)) throw new ImageTypeNotOfferedError(`The catalog's release ${chosen.version} has no image for ${fileName}`);
      return entry ?? null;
    },
  });
}
