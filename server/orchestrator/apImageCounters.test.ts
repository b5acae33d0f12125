import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AP_IMAGE_COUNTERS, type ApImageReport, type ApImageSummary } from '../../lib/apImage';
import { CONTROLLER_VERSION_FILE, VERSION_FILE } from '../../lib/imageBundle';
import { sshExec } from '../sim/testing/sshShell';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { ADMIN, startConsoleHarness, TEST_ADMIN_PASSWORD, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';

// Two bundles on one real tftpd-hpa: the demo bundle, and one whose version files are there but no image is.
const NO_IMAGES_PATH = '/EWC/no-images';
let serverRoot: string;
let tftpd: { port: number; stop(): Promise<void> };

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-counters-'));
  ensureDemoBundle(serverRoot, 'scaled');
  fs.mkdirSync(path.join(serverRoot, NO_IMAGES_PATH), { recursive: true });
  fs.writeFileSync(path.join(serverRoot, NO_IMAGES_PATH, VERSION_FILE), `${DEMO_BUNDLE_VERSION}\n`);
  fs.writeFileSync(path.join(serverRoot, NO_IMAGES_PATH, CONTROLLER_VERSION_FILE), '17.12.01.0.5\n');
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

const profile = (imagePath = DEMO_IMAGE_PATH) => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath, port: tftpd.port, parallelMode: false });
const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const syslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as { text: string }[]).map((line) => line.text);

// Every status counter the API reports; each AP is in exactly one of them.
const STATUS_COUNTERS = [
  'initiated',
  'downloading',
  'predownloading',
  'completedDownloading',
  'completedPredownloading',
  'notSupported',
  'failedToPredownload',
  'aborted',
  'reloading',
  'joined',
  'none',
] as const;
const counted = (summary: ApImageSummary) => STATUS_COUNTERS.reduce((sum, key) => sum + ((summary as unknown as Record<string, number>)[key] ?? 0), 0);

describe("show ap image's counters, the page's and the API's", () => {
  it('partition the fleet at every moment of a run, and Predownload in progress is Yes from the moment Save & Download is accepted', async () => {
    // One delivery slot and slow links: APs wait in line with their image already on the controller.
    // Two APs share ap1g7, so one of them waits while the other receives it: at 4 Mbit/s that wait
    // lasts about 2.4 s, long enough to be sampled on a busy machine (at 16 Mbit/s a loaded CI missed it).
    harness = await startConsoleHarness({ EWC_MAX_CONCURRENT_PREDOWNLOADS: '1' });
    await harness.startFleet(DEMO_FLEET, 4_000);
    expect(counted(report(harness).summary)).toBe(DEMO_FLEET.length);

    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    expect(report(harness).summary.predownloadInProgress).toBe(true);

    const samples: ApImageReport[] = [];
    await waitFor(
      'stage Activate',
      () => {
        samples.push(report(harness!));
        return harness!.instance.orchestrator.view().stage;
      },
      (stage) => stage === 'Activate' || stage === 'Failed',
      90_000,
    );
    expect(harness.instance.orchestrator.view().stage).toBe('Activate');
    expect(report(harness).summary.predownloadInProgress).toBe(false);
    let waitingWithImage = 0;
    for (const { summary, aps } of samples) {
      expect(counted(summary), JSON.stringify(summary)).toBe(summary.totalAps);
      const rows = (status: string) => aps.filter((ap) => ap.predownloadStatus === status).length;
      expect(summary.predownloading).toBe(rows('Predownloading'));
      expect(summary.downloading + summary.completedDownloading).toBe(rows('Downloading'));
      expect(summary.initiated).toBe(rows('Initiated'));
      for (const { key } of AP_IMAGE_COUNTERS) expect(summary[key], key).toBeGreaterThanOrEqual(0);
      // An AP waiting in line for a slot has its image on the controller already: "Completed downloading", not "Downloading".
      expect(summary.completedDownloading).toBeGreaterThanOrEqual(aps.filter((ap) => ap.predownloadStatus === 'Downloading' && ap.queuePosition !== null).length);
      waitingWithImage = Math.max(waitingWithImage, summary.completedDownloading);
    }
    // APs did wait in line with their image fetched: "Completed downloading" counted them, and only them.
    expect(waitingWithImage).toBeGreaterThan(0);
  });

  it('says Predownload in progress while every AP waits for its retry, and the Retry Count agrees with the log line at once', async () => {
    harness = await startConsoleHarness({ EWC_RETRY_BASE_MS: '600000' });
    await harness.startFleet(DEMO_FLEET.slice(0, 3));
    const port = await harness.instance.cli.listening;
    const login = { username: 'admin', password: TEST_ADMIN_PASSWORD };
    await harness.instance.api.saveProfile(profile(NO_IMAGES_PATH), ADMIN);
    const started = await sshExec(port, login, 'ap image predownload');
    expect(started.output).toContain('AP image predownload started');

    await waitFor(
      'every AP failed, waiting for its retry',
      () => report(harness!).aps,
      (aps) => aps.every((ap) => ap.predownloadStatus === 'Failed' && ap.nextRetryTime !== null),
      30_000,
    );
    expect(harness.instance.orchestrator.view().state).toBe('running');
    const shown = (await sshExec(port, login, 'show ap image')).output;
    expect(shown).toMatch(/Predownload in progress\s+: Yes/);
    expect(report(harness).summary.predownloadInProgress).toBe(true);

    const lines = syslog(harness);
    for (const ap of report(harness).aps) {
      // `retry 1 of 3 at T`: the row says retry 1 and T at the same moment.
      const said = lines
        .map((line) => new RegExp(`AP Name: ${ap.name} Mac: ${ap.mac.replace(/\./g, '\\.')} Image Predownload Failed: .*\\(retry (\\d+) of 3 at (\\S+)\\)$`).exec(line))
        .filter(Boolean)
        .at(-1);
      expect(said, ap.name).toBeTruthy();
      expect(ap.retryCount).toBe(Number(said![1]));
      expect(ap.nextRetryTime).toBe(said![2]);
      // The CLI's row says the same retry count.
      const row = shown.split(/\r?\n/).find((line) => line.startsWith(`${ap.name} `));
      expect(row?.trim().split(/\s+/).at(-2), row).toBe(String(ap.retryCount));
    }

    expect((await harness.instance.api.cancel(ADMIN)).status).toBe(202);
    expect(report(harness).summary.predownloadInProgress).toBe(false);
    expect((await sshExec(port, login, 'show ap image')).output).toMatch(/Predownload in progress\s+: No/);
  });
});
