import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { apStorageDir } from '../sim/ap/apStorage';
import { DEMO_IMAGE_PATH } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { demoBundleServerForFile } from '../sim/testing/demoBundleServer';
import { freeTcpPort } from '../sim/testing/freeTcpPort';
import { postgresServerForFile } from '../sim/testing/postgresServerForFile';
import { ENGINES, type Engine } from '../sim/testing/testStores';

// The row of an AP whose transfer a controller restart interrupted and that has not rejoined the restarted console
// yet (down, or slow to come back): the console's kept count, said as the last one the AP acknowledged, never 0 and
// never live; once the AP rejoins, what it says it holds. Against tftpd-hpa and real AP agents, on both engines.
const server = demoBundleServerForFile();
const postgres = postgresServerForFile();
const AP = DEMO_FLEET[2];
/** An AP that stays away after the restart: the resumed run waits for it, so the first AP's delivery cannot restart meanwhile. */
const AWAY = DEMO_FLEET[3];

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

const profile = () => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port, parallelMode: true });
const apRow = (h: ConsoleHarness) => (h.instance.api.getApImage().body as ApImageReport).aps.find((ap) => ap.name === AP.name)!;
const imagePath = () => path.join(server.root, DEMO_IMAGE_PATH, AP.imageType);
const partFile = (h: ConsoleHarness) => path.join(apStorageDir(path.join(h.config.dataDir, 'fleet'), AP.mac), 'ap.part');
/** The console's percent of `bytes`: one decimal, as the row rounds it. */
const percentOf = (bytes: number) => Math.round((bytes / fs.statSync(imagePath()).size) * 100 * 10) / 10;
const databaseEnv = async (engine: Engine): Promise<Record<string, string>> => (engine === 'postgres' ? await postgres.consoleEnv() : {});

describe.each(ENGINES)('an AP that was receiving when the controller on %s restarted, not back yet', (engine) => {
  it.each([
    ['it still holds its part', false],
    ['its storage was lost meanwhile', true],
  ])('shows the last count it acknowledged, not 0 and not live, until it rejoins and says what it holds: %s', async (_, storageLost) => {
    const env = { PORT: String(await freeTcpPort()), EWC_CAPWAP_PORT: String(await freeTcpPort()), EWC_RESUME_WAIT_MS: '600000', ...(await databaseEnv(engine)) };
    harness = await startConsoleHarness(env);
    const fleet = await harness.startFleet([AP, AWAY], 1500);
    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    await waitFor(
      'a third of the image acknowledged',
      () => apRow(harness!),
      (ap) => ap.percent > 30,
      20_000,
    );
    await harness.instance.close('controller stopped by SIGTERM');
    harness.browser.close();
    await fleet.agents[0].stop();
    await fleet.agents[1].stop();
    const held = fs.statSync(partFile(harness)).size;
    if (storageLost) fs.rmSync(partFile(harness));

    const restarted = await startConsoleHarness(env, harness.config.dataDir);
    harness = restarted;
    restarted.fleet = fleet;
    expect(restarted.instance.store.engine).toBe(engine);
    const before = apRow(restarted);
    // Written every 5 % of the image: at most one step behind what the AP held when the console stopped.
    expect(before.percent).toBeGreaterThan(25);
    expect(before.percent).toBeLessThanOrEqual(percentOf(held));
    expect(before).toMatchObject({ predownloadStatus: 'Downloading', connected: false, etaSeconds: null, waitsToResume: true, lastAcknowledged: true });

    await fleet.agents[0].start();
    const after = await waitFor(
      'the AP back on the restarted console',
      () => apRow(restarted),
      (ap) => ap.connected,
      30_000,
    );
    if (storageLost) expect(after).toMatchObject({ predownloadStatus: 'Downloading', percent: 0, waitsToResume: false, lastAcknowledged: false });
    else expect(after).toMatchObject({ predownloadStatus: 'Downloading', percent: percentOf(held), etaSeconds: null, waitsToResume: true, lastAcknowledged: false });

    await fleet.agents[1].start();
    await waitFor(
      'stage Activate',
      () => restarted.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(restarted.instance.orchestrator.view().stage).toBe('Activate');
    expect(apRow(restarted)).toMatchObject({ predownloadStatus: 'Complete', percent: 100, lastAcknowledged: false });
    expect(await sha256OfFile(path.join(path.dirname(partFile(restarted)), 'ap-backup.img'))).toBe(await sha256OfFile(imagePath()));
  });
});

describe('the AP that hosts the controller, its controller image delivered and its AP image under way when the controller restarted', () => {
  const HOST = DEMO_FLEET[1];
  const hostRow = (h: ConsoleHarness) => (h.instance.api.getApImage().body as ApImageReport).aps.find((ap) => ap.name === HOST.name)!;

  it('shows the controller image delivered and the last acknowledged count of its AP image until it rejoins', async () => {
    expect(HOST.hostsController).toBe(true);
    const env = { PORT: String(await freeTcpPort()), EWC_CAPWAP_PORT: String(await freeTcpPort()), EWC_RESUME_WAIT_MS: '600000' };
    harness = await startConsoleHarness(env);
    const fleet = await harness.startFleet([HOST, AWAY], 1500);
    // One image after the other: the controller image first, to the AP that hosts it.
    expect((await harness.instance.api.startDownload({ ...profile(), parallelMode: false }, ADMIN)).status).toBe(202);
    await waitFor(
      'the controller image delivered and a part of the AP image acknowledged',
      () => hostRow(harness!),
      (ap) => ap.controllerPercent === 100 && ap.percent > 10,
      60_000,
    );
    await harness.instance.close('controller stopped by SIGTERM');
    harness.browser.close();
    await fleet.agents[0].stop();
    await fleet.agents[1].stop();

    const restarted = await startConsoleHarness(env, harness.config.dataDir);
    harness = restarted;
    restarted.fleet = fleet;
    const before = hostRow(restarted);
    expect(before).toMatchObject({ connected: false, controllerPercent: 100, controllerWaitsToResume: false, controllerLastAcknowledged: false, waitsToResume: true, lastAcknowledged: true });
    expect(before.percent).toBeGreaterThan(5);

    await fleet.agents[0].start();
    await fleet.agents[1].start();
    await waitFor(
      'stage Activate',
      () => restarted.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(restarted.instance.orchestrator.view().stage).toBe('Activate');
    expect(hostRow(restarted)).toMatchObject({ predownloadStatus: 'Complete', percent: 100, controllerPercent: 100 });
  });
});
