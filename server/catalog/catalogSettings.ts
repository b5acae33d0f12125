import type { ControllerIdentity, FirmwareCheckRequest } from '../../lib/firmwareCatalog';
import type { AccessPointRecord } from '../store/accessPointRepository';
import type { StoredProfile } from '../store/profileRepository';
import type { CatalogClientOptions } from './catalogClient';
import type { CatalogNetwork } from './catalogNetwork';
import { firmwareCheckRequest } from './fleetCheck';

/** What the controller brings to every firmware check: who it says it is, each AP's serial, and where each step of the exchange is logged. */
export interface CatalogCaller {
  identity: () => ControllerIdentity;
  serialOf: (ap: AccessPointRecord) => string;
  step: (text: string) => void;
}

/** The client options a profile's CCO settings give; the key is the stored password or API key. */
export function catalogClientOptions(profile: StoredProfile, network: CatalogNetwork, caller: CatalogCaller, signal?: AbortSignal): CatalogClientOptions {
  const { cco } = profile;
  return {
    catalogUrl: cco.catalogUrl,
    account: { username: cco.username, key: cco.password ?? '' },
    trust: catalogTrust(profile),
    network,
    identity: caller.identity(),
    onStep: caller.step,
    signal,
  };
}

/** The check's body for the fleet as it is now. */
export function fleetCheckRequest(aps: readonly AccessPointRecord[], controllerVersion: string, caller: CatalogCaller): FirmwareCheckRequest {
  return firmwareCheckRequest(aps, controllerVersion, caller.serialOf);
}

/** How the catalog's certificate is trusted: the admin's CA besides the system's store, or one fingerprint trusted once. */
export function catalogTrust(profile: StoredProfile): CatalogClientOptions['trust'] {
  return { caPem: profile.cco.caCertificate || null, fingerprint: profile.cco.certificateFingerprint || null };
}
