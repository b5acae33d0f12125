import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { generatedFleet } from '../sim/ap/simulatedFleet';
import { DEMO_FLEET_VERSION } from '../sim/demo/demoFleet';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { ADMIN, startConsoleHarness, waitFor } from '../sim/testing/consoleHarness';
import { startTftpdHpa, type RunningTftpd } from '../sim/testing/tftpdHpa';

const FLEET_SIZE = 300;
const SLOTS = 20;
const IMAGE_BYTES = 256 * 1024;

let serverRoot: string;
let tftpd: RunningTftpd;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-scale-bundle-'));
  ensureDemoBundle(serverRoot, IMAGE_BYTES);
  tftpd = await startTftpdHpa({ root: serverRoot });
});

afterAll(async () => {
  await tftpd?.stop();
  fs.rmSync(serverRoot, { recursive: true, force: true });
});

it(`predownloads to ${FLEET_SIZE} APs through ${SLOTS} delivery slots, fetching each image once, byte-exact by digest`, async () => {
  const harness = await startConsoleHarness({ EWC_MAX_CONCURRENT_PREDOWNLOADS: String(SLOTS) });
  try {
    const fleet = await harness.startFleet(generatedFleet(FLEET_SIZE, DEMO_FLEET_VERSION), 0, { keepImages: false });
    const report = (query = '') => harness.instance.api.getApImage(new URLSearchParams(query)).body as ApImageReport;
    expect(report().aps).toHaveLength(FLEET_SIZE);

    // Every batch the page receives carries the whole fleet's counters: never more APs receiving than slots.
    const predownloadingSeen: number[] = [];
    harness.browser.socket.on('apImage:updated', ({ summary }) => predownloadingSeen.push(summary.predownloading));
    const waitingSeen: number[] = [];
    harness.browser.socket.on('upgrade:updated', (upgrade) => waitingSeen.push(upgrade.deliveries?.waiting ?? 0));

    const started = await harness.instance.api.startDownload({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: true }, ADMIN);
    expect(started.status).toBe(202);
    await waitFor(
      'stage Activate',
      () => harness.instance.orchestrator.view().stage,
      (stage) => stage === 'Activate' || stage === 'Failed',
      120_000,
    );
    expect(harness.instance.orchestrator.view().stage).toBe('Activate');

    expect(Math.max(...predownloadingSeen)).toBeGreaterThan(0);
    expect(Math.max(...predownloadingSeen)).toBeLessThanOrEqual(SLOTS);
    expect(Math.max(...waitingSeen)).toBeGreaterThan(0);

    const { summary } = report();
    expect(summary.totalAps).toBe(FLEET_SIZE);
    expect(summary.completedPredownloading).toBe(FLEET_SIZE);
    expect(summary.predownloadInProgress).toBe(false);
    // Each AP verified what it received against the server's file and kept that digest.
    const digests = new Map<string, string>();
    for (const agent of fleet.agents) {
      const imageType = agent.imageType;
      digests.set(imageType, digests.get(imageType) ?? (await sha256OfFile(path.join(serverRoot, DEMO_IMAGE_PATH, imageType))));
      expect(agent.images.backupVersion).toBe(DEMO_BUNDLE_VERSION);
      expect(agent.images.backupSha256).toBe(digests.get(imageType));
    }
    // One fetch per image type, whatever the number of APs of that type (read from the database: the stage
    // change to Activate was written with every line before it, and the page's log shows only the newest lines).
    const lines = await harness.instance.store.db.selectFrom('event_log').select('text').where('text', 'like', '%Completed install add%').execute();
    const fetched = lines.map((line) => line.text);
    expect(
      fetched
        .map((text) => /\/(ap\w+)$/.exec(text)?.[1])
        .filter(Boolean)
        .sort(),
    ).toEqual([...digests.keys()].sort());

    // The API pages, filters and sorts like the page does, and counts what matches.
    const page = report('limit=10&offset=20&sort=-name&imageType=ap1g7');
    const ap1g7 = fleet.agents
      .filter((agent) => agent.imageType === 'ap1g7')
      .map((agent) => agent.name)
      .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    expect(page.total).toBe(ap1g7.length);
    expect(page.aps.map((ap) => ap.name)).toEqual(ap1g7.slice(20, 30));
    expect(page.summary.totalAps).toBe(FLEET_SIZE);
    const one = fleet.agents[123];
    const byMac = report(`q=${one.mac.replace(/\./g, ':').slice(-9)}`);
    expect(byMac.aps.map((ap) => ap.name)).toEqual([one.name]);
    expect(harness.instance.api.getApImage(new URLSearchParams('limit=true')).status).toBe(400);
  } finally {
    await harness.dispose();
  }
});
