import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FleetAp } from '../sim/ap/fleetSpec';
import type { BundleFact } from '../../lib/invariants';
import { startTestCatalog, TEST_ACCOUNT } from '../sim/catalog/catalogTestKit';
import { freeTcpPort } from '../sim/testing/freeTcpPort';
import { startTftpdHpa, type RunningTftpd } from '../sim/testing/tftpdHpa';
import { MODEL_BUNDLES, writeModelBundles } from './modelBundles';

const OLD_VERSION = '17.9.4.27';

/**
 * The model's fleet: four APs that join at the start (one hosts the controller; two site tags so a
 * rolling activation has waves) and one that joins later and fails its reload (its image does not boot).
 */
export const MODEL_FLEET: readonly FleetAp[] = [
  {
    name: 'AP-CTRL-9120',
    mac: '0a00.0000.0001',
    model: 'C9120AXI-B',
    imageType: 'ap1g7',
    primaryVersion: OLD_VERSION,
    backupVersion: '17.3.3.26',
    freeSpaceKb: 400_000,
    hostsController: true,
    controllerPrimaryVersion: '17.09.04a.0.6',
    controllerBackupVersion: '17.09.04a.0.6',
    siteTag: 'SITE-1',
    // It checks each image a moment before it answers, as a real AP does: its two images (both at once in parallel
    // mode) then end close together, one acknowledged whole while the other's verdict arrives.
    verifyDelayMs: 400,
  },
  {
    name: 'AP-9105',
    mac: '0a00.0000.0002',
    model: 'C9105AXI-B',
    imageType: 'ap1g8',
    primaryVersion: OLD_VERSION,
    backupVersion: '17.3.3.26',
    freeSpaceKb: 400_000,
    hostsController: false,
    siteTag: 'SITE-1',
  },
  {
    name: 'AP-2802',
    mac: '0a00.0000.0003',
    model: 'AIR-AP2802I-B-K9',
    imageType: 'ap3g3',
    primaryVersion: OLD_VERSION,
    backupVersion: '8.10.130.0',
    freeSpaceKb: 400_000,
    hostsController: false,
    siteTag: 'SITE-2',
  },
  {
    name: 'AP-1815',
    mac: '0a00.0000.0004',
    model: 'AIR-AP1815I-B-K9',
    imageType: 'ap1g4',
    primaryVersion: OLD_VERSION,
    backupVersion: '8.10.130.0',
    freeSpaceKb: 400_000,
    hostsController: false,
    siteTag: 'SITE-2',
  },
  {
    name: 'AP-9117-LATE',
    mac: '0a00.0000.0005',
    model: 'C9117AXI-B',
    imageType: 'ap1g6',
    primaryVersion: OLD_VERSION,
    backupVersion: '17.3.3.26',
    freeSpaceKb: 400_000,
    hostsController: false,
    siteTag: 'SITE-1',
    failReload: true,
  },
];
/** How many of MODEL_FLEET join when the console starts. */
export const INITIAL_APS = 4;

/** What every run of the model shares: the image server (Debian's tftpd-hpa) and its bundles, a firmware catalog, and a port nothing listens on. */
export interface ModelWorld {
  root: string;
  tftpPort: number;
  vendorKeyDir: string;
  /** A loopback TCP port nothing listens on: the SFTP and catalog servers saved profiles point at. */
  closedPort: number;
  /**
   * A firmware catalog (CCO mode) with a CA of its own: 17.12.1.5 recommended (ap1g7, ap1g8, ap3g3), signed by the
   * vendor, as catalogs serve releases; 17.15.2.3 latest (ap1g7, ap1g8), unsigned, vouched for by its SHA-256 only
   * (held until an admin trusts its files: the model's console runs with EWC_REQUIRE_SIGNED_IMAGES=ask, the default).
   */
  catalog: { url: string; caPem: string; username: string; apiKey: string };
  bundles: BundleFact[];
  stop(): Promise<void>;
}

export async function startModelWorld(): Promise<ModelWorld> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-model-'));
  const { vendorKeyDir, vendorKey } = writeModelBundles(root);
  const tftpd: RunningTftpd = await startTftpdHpa({ root: path.join(root, 'tftp') });
  const catalog = await startTestCatalog(3000, undefined, vendorKey, ['17.15.2.3']);
  const bundles = [
    ...MODEL_BUNDLES.map((bundle) => ({ url: `tftp://127.0.0.1:${tftpd.port}${bundle.imagePath}`, version: bundle.version, signed: bundle.signed })),
    { url: `${catalog.service.url}/firmware/recommended`, version: '17.12.1.5', signed: true },
    { url: `${catalog.service.url}/firmware/latest`, version: '17.15.2.3', signed: false },
  ];
  return {
    root,
    tftpPort: tftpd.port,
    vendorKeyDir,
    closedPort: await freeTcpPort(),
    catalog: { url: catalog.service.url, caPem: catalog.certificate.caPem.trim(), username: TEST_ACCOUNT.username, apiKey: TEST_ACCOUNT.key },
    bundles,
    stop: async () => {
      await tftpd.stop();
      await catalog.service.close();
      fs.rmSync(catalog.root, { recursive: true, force: true });
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
