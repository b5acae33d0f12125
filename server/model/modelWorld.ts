import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FleetAp } from '../agent/fleetSpec';
import type { BundleFact } from '../../lib/invariants';
import { freeTcpPort } from '../testing/freeTcpPort';
import { startTftpdHpa, type RunningTftpd } from '../testing/tftpdHpa';
import { MODEL_BUNDLES, writeModelBundles } from './modelBundles';

const OLD_VERSION = '17.9.4.27';

/**
 * The model's fleet: four APs that join at the start (one hosts the controller; two site tags so a
 * rolling activation has waves) and one that joins later and fails its reload (its image does not boot).
 */
export const MODEL_FLEET: readonly FleetAp[] = [
  {
    name: 'AP-CTRL-9120', mac: '0a00.0000.0001', model: 'C9120AXI-B', imageType: 'ap1g7', primaryVersion: OLD_VERSION, backupVersion: '17.3.3.26',
    freeSpaceKb: 400_000, hostsController: true, controllerPrimaryVersion: '17.09.04a.0.6', controllerBackupVersion: '17.09.04a.0.6', siteTag: 'SITE-1',
  },
  { name: 'AP-9105', mac: '0a00.0000.0002', model: 'C9105AXI-B', imageType: 'ap1g8', primaryVersion: OLD_VERSION, backupVersion: '17.3.3.26', freeSpaceKb: 400_000, hostsController: false, siteTag: 'SITE-1' },
  { name: 'AP-2802', mac: '0a00.0000.0003', model: 'AIR-AP2802I-B-K9', imageType: 'ap3g3', primaryVersion: OLD_VERSION, backupVersion: '8.10.130.0', freeSpaceKb: 400_000, hostsController: false, siteTag: 'SITE-2' },
  { name: 'AP-1815', mac: '0a00.0000.0004', model: 'AIR-AP1815I-B-K9', imageType: 'ap1g4', primaryVersion: OLD_VERSION, backupVersion: '8.10.130.0', freeSpaceKb: 400_000, hostsController: false, siteTag: 'SITE-2' },
  {
    name: 'AP-9117-LATE', mac: '0a00.0000.0005', model: 'C9117AXI-B', imageType: 'ap1g6', primaryVersion: OLD_VERSION, backupVersion: '17.3.3.26',
    freeSpaceKb: 400_000, hostsController: false, siteTag: 'SITE-1', failReload: true,
  },
];
/** How many of MODEL_FLEET join when the console starts. */
export const INITIAL_APS = 4;

/** What every run of the model shares: the image server (Debian's tftpd-hpa) and its bundles, and a port nothing listens on. */
export interface ModelWorld {
  root: string;
  tftpPort: number;
  vendorKeyDir: string;
  /** A loopback TCP port nothing listens on: the SFTP and catalog servers saved profiles point at. */
  closedPort: number;
  bundles: BundleFact[];
  stop(): Promise<void>;
}

export async function startModelWorld(): Promise<ModelWorld> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-model-'));
  const { vendorKeyDir } = writeModelBundles(root);
  const tftpd: RunningTftpd = await startTftpdHpa({ root: path.join(root, 'tftp') });
  const bundles = MODEL_BUNDLES.map((bundle) => ({ url: `tftp://127.0.0.1:${tftpd.port}${bundle.imagePath}`, version: bundle.version, signed: bundle.signed }));
  return {
    root,
    tftpPort: tftpd.port,
    vendorKeyDir,
    closedPort: await freeTcpPort(),
    bundles,
    stop: async () => {
      await tftpd.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
