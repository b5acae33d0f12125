import type { StoredProfile } from '../store/profileRepository';
import type { CatalogClientOptions } from './catalogClient';
import type { CatalogNetwork } from './catalogNetwork';

/** The client options a profile's CCO settings give; the key is the stored password or API key. */
export function catalogClientOptions(profile: StoredProfile, network: CatalogNetwork, signal?: AbortSignal): CatalogClientOptions {
  const { cco } = profile;
  return {
    catalogUrl: cco.catalogUrl,
    account: { username: cco.username, key: cco.password ?? '' },
    trust: catalogTrust(profile),
    network,
    signal,
  };
}

/** How the catalog's certificate is trusted: the admin's CA besides the system's store, or one fingerprint trusted once. */
export function catalogTrust(profile: StoredProfile): CatalogClientOptions['trust'] {
  return { caPem: profile.cco.caCertificate || null, fingerprint: profile.cco.certificateFingerprint || null };
}
