import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ensureDemoBundle } from '../demo/demoBundle';
import { startTftpdHpa, type RunningTftpd } from './tftpdHpa';

/**
 * A real image server for a whole test file: Debian's tftpd-hpa on a loopback port, serving the demo bundle
 * (scaled sizes, or `size` bytes per image) from a folder of its own, started before the file's tests and stopped,
 * folder removed, after. Read `root` and `port` inside tests (they exist once the file's `beforeAll` has run).
 */
export function demoBundleServerForFile(prefix = 'ewc-bundle-', size: 'scaled' | number = 'scaled'): { readonly root: string; readonly port: number } {
  let root = '';
  let tftpd: RunningTftpd | null = null;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    ensureDemoBundle(root, size);
    tftpd = await startTftpdHpa({ root });
  });
  afterAll(async () => {
    await tftpd?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });
  return {
    get root() {
      return root;
    },
    get port() {
      if (!tftpd) throw new Error('the demo bundle server starts in beforeAll: read its port inside a test');
      return tftpd.port;
    },
  };
}
