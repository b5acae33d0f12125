import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { ConsoleSnapshot } from '../../lib/socketEvents';
import type { UpgradeView } from '../../lib/upgradeStage';
import type { UpgradeHistoryDetail, UpgradeHistoryEntry } from '../../lib/upgradeHistory';
import { consoleReducer, INITIAL_CONSOLE_STATE, type ConsoleAction, type ConsoleState } from '../../components/software-upgrade/consoleReducer';
import { addProgress, EMPTY_HISTORY, type ProgressHistory } from '../../components/software-upgrade/progressHistory';
import { generatedFleet } from '../sim/ap/simulatedFleet';
import type { FleetAp } from '../sim/ap/fleetSpec';
import { DEMO_FLEET, DEMO_FLEET_VERSION } from '../sim/demo/demoFleet';
import { DEMO_BUNDLE_CONTROLLER_VERSION, DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa, type RunningTftpd } from '../sim/testing/tftpdHpa';

// A real image server (tftpd-hpa on loopback) and a simulated fleet spread over three site tags,
// plus the AP that hosts the controller.
const IMAGE_BYTES = 128 * 1024;
const CONTROLLER_AP: FleetAp = { ...DEMO_FLEET.find((ap) => ap.hostsController)!, name: 'AP-CONTROLLER', mac: '0a00.00ff.0001', siteTag: 'SITE-1' };
const siteFleet = (count: number, sites: number) => [...generatedFleet(count, DEMO_FLEET_VERSION, { sites }), CONTROLLER_AP];

let serverRoot: string;
let tftpd: RunningTftpd;
let harness: ConsoleHarness | null = null;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-rolling-bundle-'));
  ensureDemoBundle(serverRoot, IMAGE_BYTES);
  tftpd = await startTftpdHpa({ root: serverRoot });
});

afterAll(async () => {
  await tftpd?.stop();
  fs.rmSync(serverRoot, { recursive: true, force: true });
});

afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

const profile = (extra: Record<string, unknown> = {}) => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: true, ...extra });
const view = (h: ConsoleHarness): UpgradeView => h.instance.orchestrator.view();
const aps = (h: ConsoleHarness) => (h.instance.api.getApImage().body as ApImageReport).aps;
// The recent lines, as the page's log shows them (the database is written a tick later).
const logLines = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as { text: string }[]).map((line) => line.text);

async function predownloaded(h: ConsoleHarness, body: Record<string, unknown> = profile()): Promise<void> {
  expect((await h.instance.api.startDownload(body, ADMIN)).status).toBe(202);
  await waitFor(
    'stage Activate',
    () => view(h).stage,
    (stage) => stage === 'Activate' || stage === 'Failed',
    60_000,
  );
  expect(view(h).stage).toBe('Activate');
}

/** Which site tag each MAC is in, and how many APs each site tag has. */
function sitesOf(fleet: FleetAp[]) {
  const siteOf = new Map(fleet.map((ap) => [ap.mac, ap.siteTag ?? 'default-site-tag']));
  const sizes = new Map<string, number>();
  for (const site of siteOf.values()) sizes.set(site, (sizes.get(site) ?? 0) + 1);
  return { siteOf, sizes };
}

/**
 * What the open page's Live Progress chart draws: the page's reducer fed by the events its socket receives, and a
 * point taken each time a batch brings a transfer sample, as useProgressHistory does while rendering that batch.
 */
async function pageChart(h: ConsoleHarness): Promise<{ state: () => ConsoleState; history: () => ProgressHistory }> {
  let state = INITIAL_CONSOLE_STATE;
  let history = EMPTY_HISTORY;
  const dispatch = (action: ConsoleAction) => {
    const before = state.transfer;
    state = consoleReducer(state, action);
    if (state.transfer !== before && state.transfer && state.summary && state.upgrade) history = addProgress(history, state.transfer, state.summary, state.upgrade);
  };
  const { socket } = h.browser;
  socket.on('apImage:updated', (batch) => dispatch({ type: 'apImage', batch }));
  socket.on('upgrade:updated', (upgrade) => dispatch({ type: 'upgrade', upgrade }));
  dispatch({ type: 'snapshot', snapshot: await new Promise<ConsoleSnapshot>((resolve) => socket.emit('snapshot:request', resolve)) });
  return { state: () => state, history: () => history };
}

describe('rolling activation', () => {
  it('reloads in several waves, never a whole site at once, one wave after the other, the controller AP last', async () => {
    harness = await startConsoleHarness();
    const fleetSpec = siteFleet(12, 3);
    const fleet = await harness.startFleet(fleetSpec);
    await predownloaded(harness);

    // What the page receives: the waves reloading at any moment.
    const reloadingAtOnce: number[] = [];
    harness.browser.socket.on('upgrade:updated', (upgrade) => reloadingAtOnce.push(upgrade.waves.filter((wave) => wave.state === 'reloading').length));

    const started = await harness.instance.api.activate(ADMIN, { strategy: 'rolling', wavePercent: 25, errorThresholdPercent: 0 });
    expect(started.status).toBe(202);
    await waitFor(
      'stage Completed',
      () => view(harness!).stage,
      (stage) => stage === 'Completed' || stage === 'Failed',
      60_000,
    );
    const done = view(harness);
    // The message and the log say why, should the run not complete.
    expect(done.stage, `${done.message}\n${logLines(harness).slice(-30).join('\n')}`).toBe('Completed');
    expect(done.strategy).toBe('rolling');
    expect(done.controllerVersion).toBe(DEMO_BUNDLE_CONTROLLER_VERSION);

    // 12 APs at 25 % are waves of 3, then the controller's AP alone.
    expect(done.waves.map((wave) => wave.aps.length)).toEqual([3, 3, 3, 3, 1]);
    expect(done.waves.at(-1)!.aps).toEqual([CONTROLLER_AP.mac]);
    expect(done.waves.every((wave) => wave.state === 'done' && wave.failed === 0)).toBe(true);
    const { siteOf, sizes } = sitesOf(fleetSpec);
    for (const wave of done.waves) {
      for (const [site, size] of sizes) expect(wave.aps.filter((mac) => siteOf.get(mac) === site).length).toBeLessThan(size);
    }
    // Each wave started once the one before it had finished.
    for (let i = 1; i < done.waves.length; i += 1) expect(done.waves[i].startedAt! >= done.waves[i - 1].finishedAt!).toBe(true);
    expect(Math.max(...reloadingAtOnce)).toBe(1);
    // The controller's AP joined on the new version after every other AP had.
    const joined = logLines(harness).filter((line) => line.includes('Joined running'));
    expect(joined).toHaveLength(fleetSpec.length);
    expect(joined.at(-1)).toContain(CONTROLLER_AP.name);
    expect(fleet.agents.every((agent) => agent.images.primaryVersion === DEMO_BUNDLE_VERSION)).toBe(true);
  });

  it("draws the page's chart of APs joined again per wave up to the true count, the last AP's join included", async () => {
    harness = await startConsoleHarness();
    const fleetSpec = siteFleet(4, 2);
    await harness.startFleet(fleetSpec);
    await predownloaded(harness);
    const page = await pageChart(harness);

    expect((await harness.instance.api.activate(ADMIN, { strategy: 'rolling', waveSize: 2, errorThresholdPercent: 0 })).status).toBe(202);
    await waitFor(
      'the page shows the activation ended',
      () => page.state().upgrade?.stage,
      (stage) => stage === 'Completed' || stage === 'Failed',
      60_000,
    );
    const done = view(harness);
    expect(done.stage).toBe('Completed');
    // The waves' own figures: 2, 2, then the controller's AP alone, each joined again.
    expect(done.waves.map((wave) => [wave.aps.length, wave.joined])).toEqual([
      [2, 2],
      [2, 2],
      [1, 1],
    ]);
    const { phase, points } = page.history();
    expect(phase).toBe('activation');
    // The chart ends on the figures the activation ended with, not one batch before them.
    expect(points.at(-1)!.joinedPerWave).toEqual(done.waves.map((wave) => wave.joined));
  });

  it('pauses when APs of a wave come back on the old version, then Resume finishes the other waves', async () => {
    harness = await startConsoleHarness();
    const fleetSpec = generatedFleet(6, DEMO_FLEET_VERSION, { sites: 2 });
    const failing = fleetSpec[0];
    failing.failReload = true;
    const fleet = await harness.startFleet(fleetSpec);
    await predownloaded(harness);

    expect((await harness.instance.api.activate(ADMIN, { strategy: 'rolling', waveSize: 2, errorThresholdPercent: 0 })).status).toBe(202);
    const paused = await waitFor(
      'the rollout paused',
      () => view(harness!),
      (u) => u.rollout?.state === 'paused' || u.stage !== 'Reload',
      30_000,
    );
    expect(paused.stage).toBe('Reload');
    expect(paused.rollout!.pauseReason).toMatch(/1 of 2 AP\(s\) of wave \d+ failed, more than the error threshold of 0 %/);
    const failedWave = paused.waves.findIndex((wave) => wave.aps.includes(failing.mac));
    expect(paused.waves[failedWave]).toMatchObject({ state: 'done', failed: 1 });
    // No wave after the failed one started.
    expect(paused.waves.slice(failedWave + 1).every((wave) => wave.state === 'pending')).toBe(true);
    expect(paused.waves.slice(failedWave + 1).length).toBeGreaterThan(0);
    expect(aps(harness).find((ap) => ap.mac === failing.mac)).toMatchObject({ predownloadStatus: 'Failed', primaryImage: DEMO_FLEET_VERSION });
    expect(logLines(harness).some((line) => line.includes('activation paused'))).toBe(true);
    expect((await harness.instance.api.maintenance.activation('pause', ADMIN)).status).toBe(409);

    expect((await harness.instance.api.maintenance.activation('resume', ADMIN)).status).toBe(202);
    await waitFor(
      'the activation ended',
      () => view(harness!).stage,
      (stage) => stage !== 'Reload',
      30_000,
    );
    const ended = view(harness);
    // One AP stayed on the old version: the upgrade says so, every other AP runs the new one.
    expect(ended.stage).toBe('Failed');
    expect(ended.message).toBe(`1 AP(s) did not come back running ${DEMO_BUNDLE_VERSION}`);
    expect(ended.waves.every((wave) => wave.state === 'done')).toBe(true);
    for (const agent of fleet.agents) expect(agent.images.primaryVersion).toBe(agent.mac === failing.mac ? DEMO_FLEET_VERSION : DEMO_BUNDLE_VERSION);

    // The history keeps the upgrade with its waves and the failure's line; the CSV has it too.
    const list = (await harness.instance.api.maintenance.listUpgrades()).body as UpgradeHistoryEntry[];
    expect(list[0]).toMatchObject({ stage: 'Failed', strategy: 'rolling', startedBy: 'admin', failedAps: 1, waveCount: ended.waves.length });
    const detail = (await harness.instance.api.maintenance.getUpgrade(String(list[0].id))).body as UpgradeHistoryDetail;
    expect(detail.waves).toHaveLength(ended.waves.length);
    expect(detail.failures.some((line) => line.text.includes(`${failing.name}`) && line.text.includes('Reload failed'))).toBe(true);
    const csv = await harness.instance.api.maintenance.exportUpgrades();
    expect(csv.contentType).toBe('text/csv');
    expect(String(csv.body).split('\r\n')[1]).toContain(`"${list[0].id}","admin"`);
    expect((await harness.instance.api.maintenance.getUpgrade('999')).status).toBe(404);
    const one = String((await harness.instance.api.maintenance.exportUpgrade(String(list[0].id))).body).split('\r\n');
    expect(one[0]).toBe('kind,wave,time,aps,failed,text');
    expect(one.filter((line) => line.startsWith('"wave"'))).toHaveLength(ended.waves.length);
    expect(one.some((line) => line.startsWith('"log"') && line.includes(failing.name))).toBe(true);
  });

  it('Abort starts no new wave: the APs reloaded stay on the new version, the others keep it as backup', async () => {
    harness = await startConsoleHarness();
    const fleetSpec = generatedFleet(4, DEMO_FLEET_VERSION, { sites: 2 });
    fleetSpec[0].failReload = true;
    fleetSpec[1].failReload = true;
    await harness.startFleet(fleetSpec);
    await predownloaded(harness);
    expect((await harness.instance.api.activate(ADMIN, { strategy: 'rolling', waveSize: 1, errorThresholdPercent: 0 })).status).toBe(202);
    await waitFor(
      'the rollout paused',
      () => view(harness!),
      (u) => u.rollout?.state === 'paused' || u.stage !== 'Reload',
      30_000,
    );
    expect((await harness.instance.api.maintenance.activation('abort', ADMIN)).status).toBe(202);
    const ended = view(harness);
    expect(ended.stage).toBe('Cancelled');
    expect(ended.rollout!.state).toBe('aborted');
    const untouched = aps(harness).filter((ap) => ap.predownloadStatus === 'Complete');
    expect(untouched.length).toBeGreaterThan(0);
    for (const ap of untouched) expect(ap).toMatchObject({ primaryImage: DEMO_FLEET_VERSION, backupImage: DEMO_BUNDLE_VERSION });
  });

  it('continues with the wave under way and then the next ones after the controller restarts mid-activation', async () => {
    // Each AP stays away 1.5 s, so the controller stops while a wave is reloading.
    harness = await startConsoleHarness({ EWC_RELOAD_MS: '1500' });
    const dataDir = harness.config.dataDir;
    const fleetSpec = generatedFleet(6, DEMO_FLEET_VERSION, { sites: 2 });
    await harness.startFleet(fleetSpec);
    await predownloaded(harness);
    expect((await harness.instance.api.activate(ADMIN, { strategy: 'rolling', waveSize: 2 })).status).toBe(202);
    const midway = await waitFor(
      'wave 2 reloading',
      () => view(harness!),
      (u) => u.waves[1]?.state === 'reloading' || u.stage !== 'Reload',
      30_000,
    );
    expect(midway.waves.map((wave) => wave.state)).toEqual(['done', 'reloading', 'pending']);
    // Stop once the wave's APs took the reload and left, as a controller restart would find them.
    const secondWave = midway.waves[1].aps;
    await waitFor(
      'wave 2 APs away',
      () => aps(harness!).filter((ap) => secondWave.includes(ap.mac)),
      (rows) => rows.every((ap) => !ap.connected),
      10_000,
    );
    await harness.stop();

    harness = await startConsoleHarness({ EWC_RELOAD_MS: '1500' }, dataDir);
    expect(view(harness).stage).toBe('Reload');
    const fleet = await harness.startFleet(fleetSpec);
    await waitFor(
      'stage Completed',
      () => view(harness!).stage,
      (stage) => stage !== 'Reload',
      60_000,
    );
    const done = view(harness);
    // The message and the log say why, should the run not complete.
    expect(done.stage, `${done.message}\n${logLines(harness).slice(-30).join('\n')}`).toBe('Completed');
    expect(done.waves.map((wave) => [wave.state, wave.failed])).toEqual([
      ['done', 0],
      ['done', 0],
      ['done', 0],
    ]);
    expect(fleet.agents.every((agent) => agent.images.primaryVersion === DEMO_BUNDLE_VERSION)).toBe(true);
    expect(logLines(harness).some((line) => line.includes('activation continues after a restart (running, wave 2 of 3)'))).toBe(true);
  });

  it('refuses bad activation options field by field', async () => {
    harness = await startConsoleHarness();
    const bad = await harness.instance.api.activate(ADMIN, { strategy: 'sideways', wavePercent: 30, errorThresholdPercent: 200, at: 'tonight' });
    expect(bad.status).toBe(400);
    const paths = (bad.body as { issues: { path: string }[] }).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(['at', 'errorThresholdPercent', 'strategy', 'wavePercent']);
    expect((await harness.instance.api.activate(ADMIN, {})).status).toBe(409);
  });
});
