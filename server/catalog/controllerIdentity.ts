import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { featureBits, type CatalogApInfo, type CatalogFeature, type ControllerIdentity } from '../../lib/firmwareCatalog';
import type { AccessPointRecord } from '../store/accessPointRepository';
import type { CatalogCaller } from './catalogSettings';

/** The vendor tag this console sends as `X-OEM-Tag` (the seed's IAP sends `Aruba`). */
export const OEM_TAG = 'Cisco';
// The seed's X-Guid is 50 hex digits.
const GUID_LENGTH = 50;

export interface IdentitySources {
  /** The local CA's certificate (`.data/pki/ca.crt`): what makes this controller this one. */
  caCertPath: string;
  aps: () => readonly AccessPointRecord[];
  /** The serial of the AP's certificate, as the AP authorization list records it; null for an AP not on it. */
  certificateSerial: (mac: string) => Promise<string | null>;
  /** No image download profile was ever saved: the controller runs on its defaults. */
  factoryDefault: () => boolean;
  requireSignedImages: boolean;
}

/**
 * `X-Guid`: the first 50 hex digits of the SHA-256 of the local CA's certificate, stable for as long as the
 * controller keeps its data folder; zeros before the CA exists (the AP port creates it as the console starts).
 */
export function controllerGuid(caCertPath: string): string {
  if (!fs.existsSync(caCertPath)) return '0'.repeat(GUID_LENGTH);
  const der = new X509Certificate(fs.readFileSync(caCertPath)).raw;
  return createHash('sha256').update(der).digest('hex').slice(0, GUID_LENGTH);
}

/**
 * An AP's serial as a firmware check states it: its certificate's serial from this controller's CA (the simulated
 * APs have no hardware serial); the AP's name for an AP the authorization list does not hold.
 */
export async function apSerial(ap: Pick<AccessPointRecord, 'mac' | 'name'>, certificateSerial: IdentitySources['certificateSerial']): Promise<string> {
  return (await certificateSerial(ap.mac)) ?? ap.name;
}

/** Who the controller says it is in a firmware check, as the seed's IAP does: read at each check, so it follows the fleet and the profile. */
export async function controllerIdentity(sources: IdentitySources): Promise<ControllerIdentity> {
  const host = sources.aps().find((ap) => ap.hostsController);
  const controllerAp: CatalogApInfo | null = host ? { serial: await apSerial(host, sources.certificateSerial), mac: host.mac, model: host.model } : null;
  const features = new Set<CatalogFeature>(['signed-manifests', 'range-resume']);
  if (sources.requireSignedImages) features.add('signed-images-required');
  return { guid: controllerGuid(sources.caCertPath), oemTag: OEM_TAG, mode: 'EWC', factoryDefault: sources.factoryDefault(), features: featureBits(features), controllerAp };
}

/** Who the console is to a firmware catalog (its identity headers, each AP's serial), and where its steps are logged. */
export function catalogCallerOf(sources: IdentitySources, step: (text: string) => void): CatalogCaller {
  return { identity: () => controllerIdentity(sources), serialOf: (ap) => apSerial(ap, sources.certificateSerial), step };
}
