import type { KeyObject } from 'node:crypto';
import { ApAgent } from './apAgent';
import type { ControllerTrust } from './apCredentials';
import type { FleetAp } from './fleetSpec';
import { apStorageDir } from './apStorage';

export interface Fleet {
  agents: ApAgent[];
  stop(): Promise<void>;
}

export interface FleetOptions {
  /** The AP ports of the APs' controllers, `https://HOST:EWC_CAPWAP_PORT`, primary first (1 to 3); an AP's own `controllers` take their place. */
  controllerUrls: string[];
  /** The controller's CA certificate and the token each AP enrols with on its first start (the fleet's join token). */
  trust: ControllerTrust;
  /** Vendor public keys the APs verify signed images with. */
  vendorKeys: KeyObject[];
  aps: FleetAp[];
  /** Each AP gets its own storage folder below this one, named after its MAC. */
  storageRoot: string;
  linkKbps: number;
  reloadMs: number;
  /** False: each AP verifies its images but keeps only their digests (load tests). */
  keepImages?: boolean;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const agents = options.aps.map(
    (ap) =>
      new ApAgent({
        controllerUrls: ap.controllers ?? options.controllerUrls,
        trust: options.trust,
        vendorKeys: options.vendorKeys,
        ap,
        storageDir: apStorageDir(options.storageRoot, ap.mac),
        linkKbps: options.linkKbps,
        reloadMs: options.reloadMs,
        keepImages: options.keepImages,
      }),
  );
  await Promise.all(agents.map((agent) => agent.start()));
  return {
    agents,
    stop: async () => {
      await Promise.all(agents.map((agent) => agent.stop()));
    },
  };
}

/**
 * `count` APs of mixed image types, for load tests and `npm run fleet -- --count N`;
 * with `sites`, spread over that many site tags (SITE-1, SITE-2, …) in turn.
 */
export function generatedFleet(count: number, primaryVersion: string, options: { sites?: number } = {}): FleetAp[] {
  const types = [
    ['ap1g7', 'C9120AXI-B'],
    ['ap1g8', 'C9105AXI-B'],
    ['ap3g3', 'AIR-AP2802I-B-K9'],
    ['ap1g6', 'C9117AXI-B'],
    ['ap1g4', 'AIR-AP1815I-B-K9'],
    ['ap1g6a', 'C9130AXI-B'],
    ['ap1g5', 'AIR-AP1852I-B-K9'],
  ] as const;
  return Array.from({ length: count }, (_, i) => {
    const [imageType, model] = types[i % types.length];
    const hex = (0x100000 + i).toString(16).slice(-6);
    return {
      name: `SIM-${imageType.toUpperCase()}-${String(i + 1).padStart(3, '0')}`,
      mac: `0a00.00${hex.slice(0, 2)}.${hex.slice(2)}`,
      model,
      imageType,
      primaryVersion,
      backupVersion: '8.10.130.0',
      freeSpaceKb: 400_000,
      hostsController: false,
      ...(options.sites ? { siteTag: `SITE-${(i % options.sites) + 1}` } : {}),
    };
  });
}
