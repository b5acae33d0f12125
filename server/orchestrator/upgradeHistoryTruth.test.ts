import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { CONTROLLER_VERSION_FILE, VERSION_FILE } from '../../lib/imageBundle';
import type { UpgradeHistoryDetail, UpgradeHistoryEntry } from '../../lib/upgradeHistory';
import type { FleetAp } from '../sim/ap/fleetSpec';
import { startTestCatalog, TEST_ACCOUNT, type TestCatalog } from '../sim/catalog/catalogTestKit';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET, DEMO_FLEET_VERSION } from '../sim/demo/demoFleet';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';

// The demo bundle, and a bundle whose version files are there but no image is (every AP fails and waits for its retry).
const NO_IMAGES_PATH = '/EWC/no-images';
let serverRoot: string;
let tftpd: { port: number; stop(): Promise<void> };

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-history-'));
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
let catalog: TestCatalog | null = null;
afterEach(async () => {
  await harness?.dispose();
  await catalog?.service.close();
  if (catalog) fs.rmSync(catalog.root, { recursive: true, force: true });
  harness = catalog = null;
});

const profile = (imagePath = DEMO_IMAGE_PATH) => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath, port: tftpd.port, parallelMode: false });
const view = (h: ConsoleHarness) => h.instance.orchestrator.view();
const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const history = async (h: ConsoleHarness) => (await h.instance.api.maintenance.listUpgrades()).body as UpgradeHistoryEntry[];
const entry = async (h: ConsoleHarness, id: number) => (await history(h)).find((upgrade) => upgrade.id === id)!;

describe('the upgrade history says what happened', () => {
  it('ends an upgrade superseded while it waited at Activate, with its end time and the upgrade that superseded it', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet(DEMO_FLEET.slice(2, 3));
    const first = (await harness.instance.api.startDownload(profile(), ADMIN)).body as { upgradeId: number };
    await waitFor(
      'stage Activate',
      () => view(harness!).stage,
      (stage) => stage === 'Activate' || stage === 'Failed',
      30_000,
    );
    const second = (await harness.instance.api.startDownload(profile(), ADMIN)).body as { upgradeId: number };
    expect(second.upgradeId).toBeGreaterThan(first.upgradeId);

    const superseded = await entry(harness, first.upgradeId);
    expect(superseded).toMatchObject({ stage: 'Superseded', supersededBy: second.upgradeId, result: `Superseded by upgrade ${second.upgradeId}` });
    expect(superseded.finishedAt).not.toBeNull();
    expect(superseded.durationSeconds).not.toBeNull();
    expect(superseded.message).toContain(`Superseded by upgrade ${second.upgradeId}`);
    const csv = String((await harness.instance.api.maintenance.exportUpgrades()).body).split('\r\n');
    expect(csv.find((line) => line.startsWith(`"${first.upgradeId}",`))).toContain(`"Superseded by upgrade ${second.upgradeId}"`);
    await waitFor(
      'the second upgrade at Activate',
      () => view(harness!).stage,
      (stage) => stage === 'Activate' || stage === 'Failed',
      30_000,
    );
    expect(await entry(harness, second.upgradeId)).toMatchObject({ stage: 'Activate', finishedAt: null });
  });

  it('counts the APs that failed in a cancelled run, as their rows show them', async () => {
    harness = await startConsoleHarness({ EWC_RETRY_BASE_MS: '600000' });
    await harness.startFleet(DEMO_FLEET.slice(0, 3));
    const { upgradeId } = (await harness.instance.api.startDownload(profile(NO_IMAGES_PATH), ADMIN)).body as { upgradeId: number };
    await waitFor(
      'every AP failed',
      () => report(harness!).aps,
      (aps) => aps.every((ap) => ap.predownloadStatus === 'Failed'),
      30_000,
    );
    // While it runs, the history counts them already.
    expect(await entry(harness, upgradeId)).toMatchObject({ failedAps: 3, finishedAt: null });

    expect((await harness.instance.api.cancel(ADMIN)).status).toBe(202);
    const rows = report(harness).aps;
    // A failed AP stays Failed, with its reason; only its retry is called off.
    expect(rows.map((ap) => ap.predownloadStatus)).toEqual(['Failed', 'Failed', 'Failed']);
    expect(rows.every((ap) => ap.nextRetryTime === null && ap.lastError?.startsWith('Failed to download file'))).toBe(true);
    const cancelled = await entry(harness, upgradeId);
    expect(cancelled).toMatchObject({ stage: 'Cancelled', failedAps: 3, apCounts: { total: 3, failed: 3 } });
    expect(cancelled.finishedAt).not.toBeNull();

    // A later upgrade takes the same APs: the cancelled one's counts stay what they were.
    await harness.instance.api.startDownload(profile(), ADMIN);
    await waitFor(
      'stage Activate',
      () => view(harness!).stage,
      (stage) => stage === 'Activate' || stage === 'Failed',
      60_000,
    );
    expect(await entry(harness, upgradeId)).toMatchObject({ stage: 'Cancelled', failedAps: 3 });
    const detail = (await harness.instance.api.maintenance.getUpgrade(String(upgradeId))).body as UpgradeHistoryDetail;
    expect(detail.failedAps).toBe(3);
    expect(String((await harness.instance.api.maintenance.exportUpgrade(String(upgradeId))).body).split('\r\n')[1]).toMatch(/^"upgrade","","[^"]+","","3",/);
  });

  it("says Completed and 'run X' only of the APs that run X when the catalog's release lacks an image type", async () => {
    catalog = await startTestCatalog(50_000);
    harness = await startConsoleHarness({ EWC_CATALOG_TIMEOUT_MS: '5000' });
    const ap = (name: string, mac: string, imageType: string): FleetAp => ({
      name,
      mac,
      model: 'C9130AXI-B',
      imageType,
      primaryVersion: DEMO_FLEET_VERSION,
      backupVersion: '17.3.3.26',
      freeSpaceKb: 400_000,
      hostsController: false,
    });
    await harness.startFleet([ap('AP-NEW-1', '70f0.96a1.0003', 'ap1g8'), ap('AP-NEW-2', '70f0.96a1.0005', 'ap1g7'), ap('AP-OLD', '2c5a.0f40.0004', 'ap3g3')]);
    const cco = { catalogUrl: catalog.service.url, username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.key, release: 'latest', caCertificate: catalog.certificate.caPem.trim() };
    const { upgradeId } = (await harness.instance.api.startDownload({ mode: 'CCO', parallelMode: false, cco }, ADMIN)).body as { upgradeId: number };
    await waitFor(
      'stage Activate',
      () => view(harness!).stage,
      (stage) => stage === 'Activate' || stage === 'Failed',
      60_000,
    );
    expect((await harness.instance.api.activate(ADMIN)).status).toBe(202);
    await waitFor(
      'the activation ended',
      () => view(harness!).stage,
      (stage) => stage !== 'Reload',
      30_000,
    );

    const ended = view(harness);
    const said = `2 of 3 APs run 17.15.2.3; 1 not supported by the release still runs ${DEMO_FLEET_VERSION}; controller running ${ended.controllerVersion}`;
    expect(ended).toMatchObject({ stage: 'Completed', message: said, result: 'Completed on 2 of 3 APs' });
    expect(report(harness).aps.find((row) => row.name === 'AP-OLD')).toMatchObject({ primaryImage: DEMO_FLEET_VERSION, predownloadStatus: 'NotSupported' });
    const upgrade = await entry(harness, upgradeId);
    expect(upgrade).toMatchObject({ stage: 'Completed', message: said, result: 'Completed on 2 of 3 APs', apCounts: { total: 3, joined: 2, notSupported: 1 } });
    expect(JSON.stringify(await history(harness))).not.toContain('Network running');
    expect(String((await harness.instance.api.maintenance.exportUpgrades()).body)).toContain(`"Completed on 2 of 3 APs"`);
    expect(String((await harness.instance.api.maintenance.exportUpgrade(String(upgradeId))).body)).toContain(said);
  });
});
