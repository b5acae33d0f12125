import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { UpgradeHistoryDetail, UpgradeHistoryEntry } from '../../lib/upgradeHistory';
import { sha256OfFile } from '../imageSource/imageCache';
import { DEMO_FLEET } from '../demo/demoFleet';
import { DEMO_BUNDLE_CONTROLLER_VERSION, DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../demo/demoBundle';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../testing/consoleHarness';
import { freeUdpPort, startTftpdHpa, writeRandomFile } from '../testing/tftpdHpa';

// A real image server for the whole file: Debian's tftpd-hpa on a loopback port, serving a generated bundle.
let serverRoot: string;
let tftpd: { port: number; stop(): Promise<void> };

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bundle-'));
  ensureDemoBundle(serverRoot, 'scaled');
  tftpd = await startTftpdHpa({ root: serverRoot });
});

afterAll(async () => {
  await tftpd?.stop();
  fs.rmSync(serverRoot, { recursive: true, force: true });
});

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

function profile(overrides: Record<string, unknown> = {}) {
  return { mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: false, ...overrides };
}

const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const upgrade = (h: ConsoleHarness) => h.instance.orchestrator.view();
const apNamed = (h: ConsoleHarness, name: string) => report(h).aps.find((ap) => ap.name === name)!;

describe('predownload over TFTP to a fleet of AP agents', () => {
  it('delivers each image type byte-exact, reaches Activate, then reloads every AP onto the new version', async () => {
    harness = await startConsoleHarness();
    // A slow link so the page sees progress between 0 and 100 %.
    const fleet = await harness.startFleet(DEMO_FLEET, 6000);

    const started = await harness.instance.api.startDownload(profile(), ADMIN);
    expect(started.status).toBe(202);
    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(409);

    await waitFor('stage Activate', () => upgrade(harness!), (u) => u.stage === 'Activate' || u.stage === 'Failed', 90_000);
    expect(upgrade(harness).stage).toBe('Activate');
    expect(upgrade(harness).targetVersion).toBe(DEMO_BUNDLE_VERSION);

    const { summary, aps } = report(harness);
    expect(summary.totalAps).toBe(DEMO_FLEET.length);
    expect(summary.completedPredownloading).toBe(DEMO_FLEET.length);
    expect(summary.predownloadInProgress).toBe(false);
    for (const ap of aps) {
      expect(ap.predownloadStatus).toBe('Complete');
      expect(ap.backupImage).toBe(DEMO_BUNDLE_VERSION);
      expect(ap.primaryImage).toBe('17.9.4.27');
      expect(ap.percent).toBe(100);
    }

    // Each AP's staged file is the image the server holds, byte for byte.
    for (const ap of DEMO_FLEET) {
      const agentDir = path.join(harness.config.dataDir, 'fleet', ap.mac.replace(/[^0-9a-zA-Z]/g, ''));
      const staged = await sha256OfFile(path.join(agentDir, 'ap-backup.img'));
      expect(staged).toBe(await sha256OfFile(path.join(serverRoot, DEMO_IMAGE_PATH, ap.imageType)));
      if (ap.hostsController) {
        expect(await sha256OfFile(path.join(agentDir, 'controller-backup.img'))).toBe(
          await sha256OfFile(path.join(serverRoot, DEMO_IMAGE_PATH, 'C9800-AP-iosxe-wlc.bin')),
        );
      }
    }
    // The browser saw progress as bytes moved, not only 0 and 100.
    const seen = [...harness.browser.percentsSeen.values()].flat();
    expect(seen.some((p) => p > 0 && p < 100)).toBe(true);
    // Each image type was fetched from the image server once, however many APs run it.
    const syslog = harness.instance.api.getSyslog().body as { text: string }[];
    const ap1g7Fetches = syslog.filter((l) => l.text.includes('Completed install add') && l.text.includes('/ap1g7 '));
    expect(ap1g7Fetches).toHaveLength(1);
    // The log says what the TFTP server granted (tftpd-hpa grants no windowsize) and the rate achieved.
    expect(ap1g7Fetches[0].text).toMatch(/\/ap1g7 \(\d+ bytes in [\d.]+ s \((?:[\d.]+ MB\/s|instant)\); blksize 1468, windowsize 1, tsize \d+\)$/);

    expect((await harness.instance.api.activate(ADMIN)).status).toBe(202);
    await waitFor('stage Completed', () => upgrade(harness!), (u) => u.stage === 'Completed' || u.stage === 'Failed', 30_000);
    expect(upgrade(harness).stage).toBe('Completed');
    expect(upgrade(harness).controllerVersion).toBe(DEMO_BUNDLE_CONTROLLER_VERSION);
    for (const ap of report(harness).aps) {
      expect(ap.predownloadStatus).toBe('Joined');
      expect(ap.primaryImage).toBe(DEMO_BUNDLE_VERSION);
      expect(ap.backupImage).toBe('17.9.4.27');
      expect(ap.connected).toBe(true);
    }
    expect(fleet.agents.every((agent) => agent.images.primaryVersion === DEMO_BUNDLE_VERSION)).toBe(true);
  });

  it('shows the fetch from the image server as it moves, before any AP receives a byte', async () => {
    // Lock-step 512-byte blocks make a 16 MB fetch take a few seconds on loopback, as a slow WAN link would.
    harness = await startConsoleHarness({ EWC_TFTP_BLKSIZE: '512', EWC_TFTP_WINDOWSIZE: '1' });
    await harness.startFleet(DEMO_FLEET.slice(2, 3));
    const original = path.join(serverRoot, DEMO_IMAGE_PATH, 'ap1g8');
    const saved = `${original}.scaled`;
    fs.renameSync(original, saved);
    await writeRandomFile(original, 16 * 1024 * 1024);
    try {
      expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
      await waitFor('stage Activate', () => upgrade(harness!), (u) => u.stage === 'Activate' || u.stage === 'Failed', 60_000);
      const ap1g8 = harness.browser.fetchesSeen.filter((f) => f.fileName === 'ap1g8');
      expect(ap1g8.some((f) => f.bytes > 0 && f.totalBytes === 16 * 1024 * 1024 && f.bytes < f.totalBytes)).toBe(true);
      expect(ap1g8[0].url).toBe(`tftp://127.0.0.1:${tftpd.port}${DEMO_IMAGE_PATH}/ap1g8`);
      expect(upgrade(harness).fetches).toEqual([]);
    } finally {
      fs.rmSync(original, { force: true });
      fs.renameSync(saved, original);
    }
  });

  it("ends a wrong path Failed at once with the server's reason for version.info: no retry, no other file tried, not a word about signing", async () => {
    // Signed images required, as on a fresh start: the missing bundle must never reach the signing gate.
    harness = await startConsoleHarness({ EWC_REQUIRE_SIGNED_IMAGES: '1', EWC_RETRY_BASE_MS: '300' });
    await harness.startFleet(DEMO_FLEET.slice(0, 3));
    expect((await harness.instance.api.startDownload(profile({ imagePath: '/Wrong-Path' }), ADMIN)).status).toBe(202);

    const reason = `Failed to download file tftp://127.0.0.1:${tftpd.port}/Wrong-Path/version.info: No such file or directory`;
    const ended = await waitFor('stage Failed', () => upgrade(harness!), (u) => u.stage === 'Failed', 20_000);
    // The bar shows where it stopped, and the panel says why.
    expect(ended).toMatchObject({ lastBarStage: 'Initiate', targetVersion: null });
    expect(ended.message).toContain(reason);
    // Every AP of the run says why in its row, with no retry against a bundle that is not there.
    for (const ap of report(harness).aps) expect(ap).toMatchObject({ predownloadStatus: 'Failed', lastError: reason, retryCount: 0, nextRetryTime: null });
    expect(report(harness).summary).toMatchObject({ failedToPredownload: 3, predownloadInProgress: false });

    const lines = (harness.instance.api.getSyslog().body as { text: string }[]).map((l) => l.text);
    expect(lines).toContain(`Chassis 1 R0/0: install_engine: Failed to install_add package tftp://127.0.0.1:${tftpd.port}/Wrong-Path/version.info, Error: ${reason}`);
    expect(lines.filter((line) => /signing|signature|SIGNED/.test(line))).toEqual([]);
    expect(lines.filter((line) => line.includes('/Wrong-Path/') && !line.includes('/Wrong-Path/version.info'))).toEqual([]);
    // The history says the same: Failed, ended, with the reason and its failed APs.
    const [entry] = (await harness.instance.api.maintenance.listUpgrades()).body as UpgradeHistoryEntry[];
    expect(entry).toMatchObject({ stage: 'Failed', failedAps: 3 });
    expect(entry.finishedAt).not.toBeNull();
    expect(entry.message).toContain(reason);
    const detail = (await harness.instance.api.maintenance.getUpgrade(String(entry.id))).body as UpgradeHistoryDetail;
    expect(detail.failures.filter((line) => /signing|signature|SIGNED/.test(line.text))).toEqual([]);
    expect((await harness.instance.api.activate(ADMIN)).status).toBe(409);
  });

  it('says Timed out when the image server does not answer', async () => {
    harness = await startConsoleHarness({ EWC_TFTP_TIMEOUT_MS: '200', EWC_TFTP_RETRIES: '1' });
    await harness.startFleet(DEMO_FLEET.slice(2, 3));
    const silentPort = await freeUdpPort();
    expect((await harness.instance.api.startDownload(profile({ port: silentPort }), ADMIN)).status).toBe(202);
    await waitFor('stage Failed', () => upgrade(harness!), (u) => u.stage === 'Failed', 20_000);
    // version.info cannot be read: the run ends at once, and the AP's row says why.
    expect(apNamed(harness, '9105-emorenoa').lastError).toBe(`Failed to download file tftp://127.0.0.1:${silentPort}${DEMO_IMAGE_PATH}/version.info: Timed out`);
    expect(upgrade(harness).message).toContain('Timed out');
  });

  it('cancels a predownload: transfers stop, partial files are removed, the profile stays saved', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet(DEMO_FLEET.slice(0, 3), 1500);
    expect((await harness.instance.api.startDownload(profile({ parallelMode: true }), ADMIN)).status).toBe(202);
    await waitFor('a transfer under way', () => report(harness!).aps, (aps) => aps.some((ap) => ap.predownloadStatus === 'Predownloading' && ap.percent > 0), 20_000);

    expect((await harness.instance.api.cancel(ADMIN)).status).toBe(202);
    expect(upgrade(harness).stage).toBe('Cancelled');
    expect(report(harness).aps.every((ap) => ap.predownloadStatus === 'Aborted')).toBe(true);
    const fleetDir = path.join(harness.config.dataDir, 'fleet');
    await waitFor('partial files removed', () => fs.readdirSync(fleetDir).flatMap((d) => fs.readdirSync(path.join(fleetDir, d))), (files) => !files.some((f) => f.endsWith('.part')), 5000);
    expect(harness.instance.api.getProfile().body).toMatchObject({ imagePath: DEMO_IMAGE_PATH, parallelMode: true });
    expect((await harness.instance.api.cancel(ADMIN)).status).toBe(409);
  });

  it('resumes an AP that dropped mid-transfer from the bytes it had written, and counts the retry', async () => {
    harness = await startConsoleHarness({ EWC_RETRY_BASE_MS: '300' });
    const fleet = await harness.startFleet(DEMO_FLEET.slice(2, 3), 1500);
    const agent = fleet.agents[0];
    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    await waitFor('a third of the image acknowledged', () => apNamed(harness!, '9105-emorenoa'), (ap) => ap.percent > 30, 20_000);
    await agent.stop();
    await waitFor('the AP failed with a retry pending', () => apNamed(harness!, '9105-emorenoa'), (ap) => ap.predownloadStatus === 'Failed' && ap.nextRetryTime !== null, 10_000);
    await agent.start();

    await waitFor('stage Activate', () => upgrade(harness!), (u) => u.stage === 'Activate' || u.stage === 'Failed', 30_000);
    expect(apNamed(harness, '9105-emorenoa')).toMatchObject({ predownloadStatus: 'Complete', retryCount: 1 });
    const lines = (harness.instance.api.getSyslog().body as { text: string }[]).map((l) => l.text);
    const resumed = lines.map((l) => /9105-emorenoa: Image Data Request sent, fileName \[ap1g8\], resuming at (\d+)/.exec(l)).find(Boolean);
    expect(Number(resumed?.[1])).toBeGreaterThan(0);
    const agentDir = path.join(harness.config.dataDir, 'fleet', DEMO_FLEET[2].mac.replace(/[^0-9a-zA-Z]/g, ''));
    expect(await sha256OfFile(path.join(agentDir, 'ap-backup.img'))).toBe(await sha256OfFile(path.join(serverRoot, DEMO_IMAGE_PATH, 'ap1g8')));
  });

  it('refuses a predownload to an AP without the space for the image (PRECHECK) and does not retry it', async () => {
    harness = await startConsoleHarness({ EWC_RETRY_BASE_MS: '200' });
    await harness.startFleet([{ ...DEMO_FLEET[2], freeSpaceKb: 100 }]);
    await harness.instance.api.startDownload(profile(), ADMIN);
    await waitFor('stage Failed', () => upgrade(harness!), (u) => u.stage === 'Failed', 20_000);
    const ap = apNamed(harness, '9105-emorenoa');
    expect(ap.lastError).toMatch(/^PRECHECK failed: upgrade.sh: \/tmp space: NOT OK available 100, required \d+$/);
    expect(ap.retryCount).toBe(0);
    expect(ap.nextRetryTime).toBeNull();
  });

  it('marks an AP whose image type is not in the bundle Not Supported', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet([DEMO_FLEET[2], { ...DEMO_FLEET[0], name: 'AP-OLD-1700', mac: '00aa.bbcc.0001', model: 'AIR-CAP1702I-B-K9', imageType: 'ap1g3' }]);
    await harness.instance.api.startDownload(profile(), ADMIN);
    await waitFor('stage Activate', () => upgrade(harness!), (u) => u.stage === 'Activate' || u.stage === 'Failed', 20_000);
    expect(apNamed(harness, 'AP-OLD-1700').predownloadStatus).toBe('NotSupported');
    expect(report(harness).summary.notSupported).toBe(1);
    expect(upgrade(harness).stage).toBe('Activate');
  });
});

describe('image download profile at the API boundary', () => {
  it('rejects bad input field by field with a 400 and keeps the saved profile', async () => {
    harness = await startConsoleHarness();
    const api = harness.instance.api;
    expect((await api.saveProfile(profile(), ADMIN)).status).toBe(200);

    const bad = await api.saveProfile(profile({ imageServer: 'not a host!', imagePath: '  ', port: 70000 }), ADMIN);
    expect(bad.status).toBe(400);
    const paths = (bad.body as { issues: { path: string; message: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['imageServer', 'imagePath', 'port']));
    expect((await api.startDownload(profile({ port: 0 }), ADMIN)).status).toBe(400);
    expect((await api.saveProfile('{', ADMIN)).status).toBe(400);
    expect(api.getProfile().body).toMatchObject({ imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port });
  });

  it('stores the SFTP password without ever returning it, and keeps it when the field is left empty', async () => {
    harness = await startConsoleHarness();
    const api = harness.instance.api;
    const secret = 'S3cret-pass!';
    const saved = await api.saveProfile(profile({ mode: 'SFTP', port: 22, sftp: { username: 'calo', passwordType: 'UNENCRYPTED', password: secret } }), ADMIN);
    expect(saved.status).toBe(200);
    expect(JSON.stringify(saved.body)).not.toContain(secret);
    expect(saved.body).toMatchObject({ sftp: { username: 'calo', hasPassword: true } });
    const again = await api.saveProfile(profile({ mode: 'SFTP', port: 22, sftp: { username: 'calo', passwordType: 'UNENCRYPTED', password: '' } }), ADMIN);
    expect(again.body).toMatchObject({ sftp: { hasPassword: true } });
    expect((await api.saveProfile(profile({ mode: 'SFTP', port: 22, sftp: { username: '', passwordType: 'UNENCRYPTED' } }), ADMIN)).status).toBe(400);
  });

  it('keeps the profile and the AP image state across a restart', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet(DEMO_FLEET.slice(2, 3));
    await harness.instance.api.startDownload(profile({ parallelMode: true }), ADMIN);
    await waitFor('stage Activate', () => upgrade(harness!), (u) => u.stage === 'Activate', 20_000);
    const dataDir = harness.config.dataDir;
    await harness.stop();

    harness = await startConsoleHarness({}, dataDir);
    expect(harness.instance.api.getProfile().body).toMatchObject({ parallelMode: true, port: tftpd.port });
    const ap = report(harness).aps[0];
    expect(ap).toMatchObject({ name: '9105-emorenoa', predownloadStatus: 'Complete', backupImage: DEMO_BUNDLE_VERSION, connected: false });
    expect(upgrade(harness).stage).toBe('Activate');
  });
});
