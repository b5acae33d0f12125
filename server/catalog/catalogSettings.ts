import type { ControllerIdentity, FirmwareCheckRequest } from '../../lib/firmwareCatalog';
import type { AccessPointRecord } from '../store/accessPointRepository';
import type { StoredProfile } from '../store/profileRepository';
import type { CatalogClientOptions } from './catalogClient';
import type { CatalogNetwork } from './catalogNetwork';
import { fleetByImageType, firmwareCheckRequest } from './fleetCheck';

/** What the controller brings to every firmware check: who it says it is, each AP's serial, and where each step of the exchange is logged. */
export interface CatalogCaller {
  identity: () => Promise<ControllerIdentity>;
  serialOf: (ap: AccessPointRecord) => Promise<string>;
  step: (text: string) => void;
}

/** The client options a profile's CCO settings give; the key is the stored password or API key. */
export async function catalogClientOptions(profile: StoredProfile, network: CatalogNetwork, caller: CatalogCaller, signal?: AbortSignal): Promise<CatalogClientOptions> {
  const { cco } = profile;
  return {
    catalogUrl: cco.catalogUrl,
    account: { username: cco.username, key: cco.password ?? '' },
    trust: catalogTrust(profile),
    network,
    identity: await caller.identity(),
    onStep: caller.step,
    signal,
  };
}

/** The check's body for the fleet as it is now. */
export async function fleetCheckRequest(aps: readonly AccessPointRecord[], controllerVersion: string, caller: CatalogCaller): Promise<FirmwareCheckRequest> {
  // The body names one AP of each image type: only those serials are read.
  const named = [...fleetByImageType(aps).values()].map((group) => group[0]);
  const serials = new Map(await Promise.all(named.map(async (ap) => [ap.mac, await caller.serialOf(ap)] as const)));
  return firmwareCheckRequest(aps, controllerVersion, (ap) => serials.get(ap.mac) ?? ap.name);
}

/** How the catalog's certificate is trusted: the admin's CA besides the system's store, or one fingerprint trusted once. */
export function catalogTrust(profile: StoredProfile): CatalogClientOptions['trust'] {
  return { caPem: profile.cco.caCertificate || null, fingerprint: profile.cco.certificateFingerprint || null };
}
