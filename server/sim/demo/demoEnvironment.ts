import path from 'node:path';
import { startDemoCatalog, type DemoCatalog } from './demoCatalog';
import type { ConsoleConfig } from '../../config';
import { startSftpServer, type DemoSftpServer } from '../imageServers/sftpServer';
import { EMPTY_PROFILE, type StoredProfile } from '../../store/profileRepository';
import { startTftpServer, type TftpServerHandle } from '../imageServers/tftpServer';
import { loadOrCreateVendorKey } from '../../imageSigning/imageManifest';
import { DEMO_CURRENT_BUNDLE, ensureDemoBundle, type DemoBundle } from './demoBundle';

/** The demo vendor's Ed25519 key, created at the first start; its public key is trusted as `demo-vendor.pem`. */
export const DEMO_VENDOR_KEY_FILE = 'demo-vendor-key.pem';

/** Well-known demo credentials, printed at start: the demo SFTP server listens on loopback only and serves a random-byte bundle. */
export const DEMO_SFTP_USER = 'ewc-demo';
export const DEMO_SFTP_PASSWORD = 'ewc-demo-password';

export interface DemoImageServers {
  bundle: DemoBundle;
  /** The bundle of the version the demo controller runs, beside the other on the same servers: the image APs that join on another version get. */
  currentBundle: DemoBundle;
  tftp: TftpServerHandle;
  sftp: DemoSftpServer;
  catalog: DemoCatalog;
  /** The profile shown until someone saves one: TFTP from the demo server, the SFTP server and the catalog filled in for their modes. */
  profile: StoredProfile;
  close(): Promise<void>;
}

/** The embedded demo image servers: one generated bundle, served by the project's own TFTP server and by an ssh2 SFTP server. */
export async function startDemoImageServers(config: ConsoleConfig): Promise<DemoImageServers> {
  const root = path.join(config.dataDir, 'demo-image-server');
  const vendorKey = loadOrCreateVendorKey(path.join(config.dataDir, DEMO_VENDOR_KEY_FILE), config.vendorKeyDir, 'demo-vendor');
  const bundle = ensureDemoBundle(root, config.demoImageSize, vendorKey);
  const currentBundle = ensureDemoBundle(root, config.demoImageSize, vendorKey, DEMO_CURRENT_BUNDLE);
  const tftp = await startTftpServer({ root: bundle.root, host: '127.0.0.1', port: config.demoTftpPort });
  const sftp = await startSftpServer({
    root: bundle.root,
    host: '127.0.0.1',
    port: config.demoSftpPort,
    username: DEMO_SFTP_USER,
    password: DEMO_SFTP_PASSWORD,
    hostKeyPath: path.join(config.dataDir, 'demo-sftp-host-key'),
  });
  const catalog = await startDemoCatalog(config.dataDir, bundle, config.demoCatalogPort, config.demoImageSize, vendorKey);
  return {
    bundle,
    currentBundle,
    tftp,
    sftp,
    catalog,
    profile: {
      ...EMPTY_PROFILE,
      tftp: { imageServer: tftp.host, imagePath: bundle.imagePath, port: tftp.port },
      // The SFTP login directory is the bundle's root, so its path is relative; the user name and password are typed (the start-up lines print them).
      sftp: { ...EMPTY_PROFILE.sftp, imageServer: sftp.host, imagePath: bundle.imagePath.replace(/^\//, ''), port: sftp.port },
      cco: catalog.cco,
    },
    close: async () => {
      await Promise.all([tftp.close(), sftp.close(), catalog.service.close()]);
    },
  };
}
