import path from 'node:path';
import type { ConsoleConfig } from '../config';
import type { StoredProfile } from '../store/profileRepository';
import { startTftpServer } from '../tftp/tftpServer';
import { ensureDemoBundle, type DemoBundle } from './demoBundle';

export interface DemoImageServer {
  bundle: DemoBundle;
  tftp: { host: string; port: number; close(): Promise<void> };
  profile: StoredProfile;
}

/** The embedded demo image server: a generated bundle served by the project's own TFTP server on loopback. */
export async function startDemoImageServer(config: ConsoleConfig): Promise<DemoImageServer> {
  const bundle = ensureDemoBundle(path.join(config.dataDir, 'demo-image-server'), config.demoImageSize);
  const tftp = await startTftpServer({ root: bundle.root, host: '127.0.0.1', port: config.demoTftpPort });
  return {
    bundle,
    tftp,
    profile: {
      mode: 'TFTP',
      imageServer: tftp.host,
      imagePath: bundle.imagePath,
      port: tftp.port,
      parallelMode: false,
      sftp: { username: '', passwordType: 'UNENCRYPTED', password: null },
    },
  };
}
