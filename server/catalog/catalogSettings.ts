import type { StoredProfile } from '../store/profileRepository';
import type { CatalogClientOptions } from './catalogClient';

/** The client options a profile's CCO settings give; the key is the stored password or API key. */
export function catalogClientOptions(profile: StoredProfile, timeoutMs: number, signal?: AbortSignal): CatalogClientOptions {
  const { cco } = profile;
  return {
    catalogUrl: cco.catalogUrl,
    account: { username: cco.username, key: cco.password ?? '' },
    trust: { caPem: cco.caCertificate || null, fingerprint: cco.certificateFingerprint || null },
    timeoutMs,
    signal,
  };
}
