import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startOpenSshServer, type OpenSshServer } from '../sim/testing/opensshServer';
import { writeRandomFile } from '../sim/testing/tftpdHpa';
import { freeTcpPort } from '../sim/testing/freeTcpPort';
import { apStorageDir } from '../sim/ap/apStorage';

// A console stopped while its image cache fetches over SFTP from Debian's OpenSSH.
let sshd: OpenSshServer;
let bundleDir: string;
let bundleRoot: string;
// A folder of its own in the test user's home (per process: other checkouts test against the same user),
// with a big ap1g8, so no other suite's bundle is touched.
const BUNDLE_FOLDER = `restart_resume_${process.pid}`;
const IMAGE_PATH = `Documents/${BUNDLE_FOLDER}${DEMO_IMAGE_PATH}`;
const BIG_AP1G8 = 120 * 1024 * 1024;
const AP = DEMO_FLEET[2];

beforeAll(async () => {
  sshd = await startOpenSshServer({ user: 'ewcsftp' });
  bundleRoot = path.join(sshd.home, 'Documents', BUNDLE_FOLDER);
  fs.rmSync(bundleRoot, { recursive: true, force: true });
  ensureDemoBundle(bundleRoot, 'scaled');
  bundleDir = path.join(bundleRoot, DEMO_IMAGE_PATH);
  await writeRandomFile(path.join(bundleDir, 'ap1g8'), BIG_AP1G8);
  fs.chmodSync(path.join(bundleDir, 'ap1g8'), 0o644);
  fs.chmodSync(sshd.home, 0o755);
});

afterAll(async () => {
  if (bundleRoot) fs.rmSync(bundleRoot, { recursive: true, force: true });
  await sshd?.dispose();
});

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

const sftpProfile = (password: string) => ({
  mode: 'SFTP',
  imageServer: '127.0.0.1',
  imagePath: IMAGE_PATH,
  port: sshd.port,
  parallelMode: true,
  sftp: { username: sshd.user, passwordType: 'UNENCRYPTED', password, hostKeyFingerprint: sshd.hostKeyFingerprint },
});

describe('a controller stopped while it fetches over SFTP', () => {
  it('resumes the cached partial image from its offset after the restart, logging in with the password the run started with', async () => {
    const env = { PORT: String(await freeTcpPort()), EWC_CAPWAP_PORT: String(await freeTcpPort()), EWC_SFTP_TIMEOUT_MS: '5000' };
    harness = await startConsoleHarness(env);
    const fleet = await harness.startFleet([AP]);
    const original = path.join(bundleDir, 'ap1g8');
    try {
      expect((await harness.instance.api.startDownload(sftpProfile(sshd.password), ADMIN)).status).toBe(202);
      const part = path.join(harness.config.dataDir, 'image-cache', 'upgrade-1', 'ap1g8.part');
      const size = () => (fs.existsSync(part) ? fs.statSync(part).size : 0);
      await waitFor('the fetch to start', size, (bytes) => bytes > 0, 20_000);
      sshd.freeze();
      // Someone saves the profile with another password meanwhile: the running upgrade keeps the one it started with.
      expect((await harness.instance.api.saveProfile(sftpProfile('not-the-password'), ADMIN)).status).toBe(200);
      await harness.instance.close('controller stopped by SIGTERM');
      harness.browser.close();
      const held = size();
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThan(BIG_AP1G8);
      sshd.thaw();

      const restarted = await startConsoleHarness(env, harness.config.dataDir);
      harness = restarted;
      restarted.fleet = fleet;
      await waitFor(
        'stage Activate',
        () => restarted.instance.orchestrator.view(),
        (u) => u.stage === 'Activate' || u.stage === 'Failed',
        60_000,
      );
      expect(restarted.instance.orchestrator.view().stage).toBe('Activate');
      const lines = (restarted.instance.api.getSyslog().body as { text: string }[]).map((line) => line.text);
      expect(lines).toContain('Controller restarted: resuming upgrade 1 at stage APImageDownload');
      const url = `sftp://*****@127.0.0.1:${sshd.port}/${IMAGE_PATH}/ap1g8`;
      expect(lines.filter((line) => line.endsWith(`Completed install add ${url}`))).toHaveLength(1);
      // The line with the fetch's figures says where it resumed.
      const figures = lines.filter((line) => line.startsWith(`Image fetched: ${url}: `));
      expect(figures).toHaveLength(1);
      expect(Number(/resumed at byte (\d+)/.exec(figures[0])?.[1])).toBe(held);
      const ap = (restarted.instance.api.getApImage().body as ApImageReport).aps.find((row) => row.name === AP.name);
      expect(ap).toMatchObject({ predownloadStatus: 'Complete', retryCount: 0 });
      const agentDir = apStorageDir(path.join(restarted.config.dataDir, 'fleet'), AP.mac);
      expect(await sha256OfFile(path.join(agentDir, 'ap-backup.img'))).toBe(await sha256OfFile(original));
    } finally {
      sshd.thaw();
    }
  }, 120_000);
});
