import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { UpgradeView } from '../../lib/upgradeStage';
import { generatedFleet } from '../sim/ap/simulatedFleet';
import { DEMO_FLEET_VERSION } from '../sim/demo/demoFleet';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa, type RunningTftpd } from '../sim/testing/tftpdHpa';
import { startUdpRelay } from '../sim/testing/udpRelay';

let serverRoot: string;
let tftpd: RunningTftpd;
let harness: ConsoleHarness | null = null;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-window-bundle-'));
  ensureDemoBundle(serverRoot, 'scaled');
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
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const auditActions = async (h: ConsoleHarness) => (await h.instance.auth.audit.recent()).map((entry) => `${entry.action} ${entry.detail}`);

async function predownloaded(h: ConsoleHarness): Promise<void> {
  expect((await h.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
  await waitFor(
    'stage Activate',
    () => view(h).stage,
    (stage) => stage === 'Activate' || stage === 'Failed',
    60_000,
  );
  expect(view(h).stage).toBe('Activate');
}

describe('the maintenance window', () => {
  it('predownloads to one site tag only; the other APs are untouched and the log says so', async () => {
    harness = await startConsoleHarness();
    const fleet = await harness.startFleet(generatedFleet(6, DEMO_FLEET_VERSION, { sites: 2 }));
    const site2 = fleet.agents.filter((_, index) => index % 2 === 1).map((agent) => agent.mac);
    expect((await harness.instance.api.startDownload({ ...profile(), targets: { siteTags: ['SITE-2'] } }, ADMIN)).status).toBe(202);
    await waitFor(
      'stage Activate',
      () => view(harness!).stage,
      (stage) => stage === 'Activate' || stage === 'Failed',
      60_000,
    );
    expect(view(harness).stage).toBe('Activate');
    for (const ap of aps(harness)) {
      if (site2.includes(ap.mac)) expect(ap).toMatchObject({ siteTag: 'SITE-2', predownloadStatus: 'Complete', backupImage: DEMO_BUNDLE_VERSION });
      else expect(ap).toMatchObject({ siteTag: 'SITE-1', predownloadStatus: 'None', backupImage: '8.10.130.0' });
    }
    const lines = (harness.instance.api.getSyslog().body as { text: string }[]).map((line) => line.text);
    expect(lines).toContain(`Upgrade ${view(harness).upgradeId}: 3 AP(s) are not targeted by this predownload and stay untouched`);
    // Activate reloads the targets only.
    expect((await harness.instance.api.activate(ADMIN, { strategy: 'all' })).status).toBe(202);
    await waitFor(
      'stage Completed',
      () => view(harness!).stage,
      (stage) => stage === 'Completed' || stage === 'Failed',
      30_000,
    );
    expect(view(harness).stage).toBe('Completed');
    for (const agent of fleet.agents) expect(agent.images.primaryVersion).toBe(site2.includes(agent.mac) ? DEMO_BUNDLE_VERSION : DEMO_FLEET_VERSION);
    // A bad target is a 400 at the boundary.
    expect((await harness.instance.api.startDownload({ ...profile(), targets: { siteTags: 'SITE-2' } }, ADMIN)).status).toBe(400);
  });

  it('starts a scheduled activation at its time, never one cancelled before it, and audits both', async () => {
    harness = await startConsoleHarness();
    const fleet = await harness.startFleet(generatedFleet(3, DEMO_FLEET_VERSION, { sites: 1 }));
    await predownloaded(harness);

    const cancelled = await harness.instance.api.activate(ADMIN, { strategy: 'all', at: inSeconds(1) });
    expect(cancelled.status).toBe(202);
    const cancelledId = (cancelled.body as { scheduled: number }).scheduled;
    expect((await harness.instance.api.maintenance.cancelSchedule(String(cancelledId), ADMIN)).status).toBe(200);
    expect((await harness.instance.api.maintenance.cancelSchedule(String(cancelledId), ADMIN)).status).toBe(409);

    const scheduled = await harness.instance.api.activate(ADMIN, { strategy: 'rolling', waveSize: 1, at: inSeconds(2), windowEnd: inSeconds(3600) });
    expect(scheduled.status).toBe(202);
    const id = (scheduled.body as { scheduled: number }).scheduled;
    expect(view(harness).scheduled).toEqual([expect.objectContaining({ id, action: 'activate', createdBy: 'admin' })]);
    // Nothing reloads before its time.
    expect(view(harness).stage).toBe('Activate');

    await waitFor(
      'the scheduled activation ran',
      () => view(harness!).stage,
      (stage) => stage === 'Completed' || stage === 'Failed',
      30_000,
    );
    const done = view(harness);
    expect(done.stage).toBe('Completed');
    expect(done.strategy).toBe('rolling');
    expect(done.waves).toHaveLength(3);
    expect(done.scheduled).toEqual([]);
    expect(fleet.agents.every((agent) => agent.images.primaryVersion === DEMO_BUNDLE_VERSION)).toBe(true);
    // What a restart would find: the rows as written.
    await harness.instance.unitOfWork.flush();
    const rows = await harness.instance.store.db.selectFrom('scheduled_action').select(['id', 'state']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: cancelledId, state: 'cancelled' },
      { id, state: 'started' },
    ]);
    const audit = await auditActions(harness);
    expect(audit.filter((line) => line.startsWith('upgrade.schedule '))).toHaveLength(2);
    expect(audit.some((line) => line.startsWith(`upgrade.schedule.cancel activate ${cancelledId}`))).toBe(true);
    expect(audit.some((line) => line.startsWith(`upgrade.schedule.run activate ${id}`))).toBe(true);
  });

  it('starts no wave after the window end; the next scheduled Activate continues the paused rollout in its own window', async () => {
    harness = await startConsoleHarness();
    const fleet = await harness.startFleet(generatedFleet(4, DEMO_FLEET_VERSION, { sites: 2 }));
    await predownloaded(harness);
    // A window that has already closed: the rollout waits, paused, before its first wave.
    const closed = new Date(Date.now() - 1000).toISOString();
    expect((await harness.instance.api.activate(ADMIN, { strategy: 'rolling', waveSize: 2, windowEnd: closed })).status).toBe(202);
    const paused = view(harness);
    expect(paused.rollout).toMatchObject({
      state: 'paused',
      pauseReason: `the maintenance window ended at ${closed}; wave 1 of 2 waits`,
      pauseSentence: { code: 'pausedWindowEnded', params: { windowEnd: closed, wave: 1, waves: 2 } },
    });
    expect(paused.waves.every((wave) => wave.state === 'pending')).toBe(true);
    expect(fleet.agents.every((agent) => agent.images.primaryVersion === DEMO_FLEET_VERSION)).toBe(true);

    expect((await harness.instance.api.activate(ADMIN, { strategy: 'rolling', at: inSeconds(1), windowEnd: inSeconds(3600) })).status).toBe(202);
    await waitFor(
      'the next window ran the rollout',
      () => view(harness!).stage,
      (stage) => stage === 'Completed' || stage === 'Failed',
      30_000,
    );
    expect(view(harness).stage).toBe('Completed');
    expect(view(harness).waves).toHaveLength(2);
    expect(fleet.agents.every((agent) => agent.images.primaryVersion === DEMO_BUNDLE_VERSION)).toBe(true);
  });

  it('keeps a scheduled Save & Download across a restart, lets it be moved, and runs it', async () => {
    harness = await startConsoleHarness();
    const dataDir = harness.config.dataDir;
    const set = await harness.instance.api.startDownload({ ...profile(), at: inSeconds(3600) }, ADMIN);
    expect(set.status).toBe(202);
    const id = (set.body as { scheduled: number }).scheduled;
    expect(view(harness).stage).toBe('Idle');
    await harness.stop();

    harness = await startConsoleHarness({}, dataDir);
    expect(view(harness).scheduled).toEqual([expect.objectContaining({ id, action: 'download' })]);
    await harness.startFleet(generatedFleet(2, DEMO_FLEET_VERSION));
    expect((await harness.instance.api.maintenance.changeSchedule(String(id), { at: 'soon' }, ADMIN)).status).toBe(400);
    expect((await harness.instance.api.maintenance.changeSchedule(String(id), { at: inSeconds(1) }, ADMIN)).status).toBe(200);
    await waitFor(
      'the scheduled predownload ran',
      () => view(harness!).stage,
      (stage) => stage === 'Activate' || stage === 'Failed',
      60_000,
    );
    expect(view(harness).stage).toBe('Activate');
    const history = (await harness.instance.api.maintenance.listUpgrades()).body as { startedVia: string; startedBy: string }[];
    expect(history[0]).toMatchObject({ startedVia: 'schedule', startedBy: 'admin' });
  });

  it('keeps a scheduled Save & Download that was starting when the controller stopped, and runs it at the next start', async () => {
    let asked = false;
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    // The image server does not answer until the controller has stopped: the scheduled action is reading the bundle's version then.
    const relay = await startUdpRelay({ serverPort: tftpd.port, holdBehind: 0, maxHoldMs: 0, gate: () => ((asked = true), opened) });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      harness = await startConsoleHarness();
      const dataDir = harness.config.dataDir;
      const set = await harness.instance.api.startDownload({ ...profile(), port: relay.port, at: inSeconds(1) }, ADMIN);
      const id = (set.body as { scheduled: number }).scheduled;
      await waitFor(
        'the scheduled Save & Download to read the bundle',
        () => asked,
        (yes) => yes,
      );
      const stopping = harness;
      harness = null;
      await stopping.stop();
      open();
      // What the stopped console was still doing has had its turns.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(unhandled).toEqual([]);

      // Its time passed while the controller was down: it runs at once (with no AP joined yet, it has nothing to predownload).
      harness = await startConsoleHarness({}, dataDir);
      await waitFor(
        'the scheduled predownload ran',
        () => view(harness!).upgradeId,
        (upgradeId) => upgradeId !== null,
        30_000,
      );
      expect((await harness.instance.api.maintenance.listUpgrades()).body).toEqual([expect.objectContaining({ startedVia: 'schedule' })]);
      expect(view(harness).scheduled.map((action) => action.id)).not.toContain(id);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      open();
      await relay.close();
    }
  });

  it('Retry now tries a failed AP again without waiting for its backoff', async () => {
    // A ten-minute backoff: only Retry now can bring the AP back within the test.
    harness = await startConsoleHarness({ EWC_RETRY_BASE_MS: '600000' });
    const fleet = await harness.startFleet(generatedFleet(1, DEMO_FLEET_VERSION), 1500);
    const agent = fleet.agents[0];
    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    await waitFor(
      'a transfer under way',
      () => aps(harness!)[0],
      (ap) => ap.percent > 10,
      30_000,
    );
    await agent.stop();
    const failed = await waitFor(
      'the AP failed with a retry pending',
      () => aps(harness!)[0],
      (ap) => ap.predownloadStatus === 'Failed' && ap.nextRetryTime !== null,
      10_000,
    );
    expect(Date.parse(failed.nextRetryTime!)).toBeGreaterThan(Date.now() + 60_000);
    await agent.start();
    expect((await harness.instance.api.maintenance.apAction(agent.mac, 'retry', ADMIN)).status).toBe(202);
    await waitFor(
      'stage Activate',
      () => view(harness!).stage,
      (stage) => stage === 'Activate' || stage === 'Failed',
      60_000,
    );
    expect(aps(harness)[0]).toMatchObject({ predownloadStatus: 'Complete', retryCount: 1, nextRetryTime: null });
    expect((await harness.instance.api.maintenance.apAction(agent.mac, 'retry', ADMIN)).status).toBe(409);
    expect((await harness.instance.api.maintenance.apAction('0000.0000.0000', 'retry', ADMIN)).status).toBe(404);
    expect((await auditActions(harness)).some((line) => line.startsWith('ap.retry'))).toBe(true);
  });

  it('leaves an AP excluded from activation on its old version with the new one as backup', async () => {
    harness = await startConsoleHarness();
    const fleet = await harness.startFleet(generatedFleet(3, DEMO_FLEET_VERSION));
    await predownloaded(harness);
    const excluded = fleet.agents[1];
    // An admin may copy the MAC from another tool: `0A:00:…` and `0a-00-…` name the same AP as `0a00.…`.
    const colonForm = excluded.mac
      .replace(/\./g, '')
      .replace(/(..)(?!$)/g, '$1:')
      .toUpperCase();
    const dashForm = excluded.mac.replace(/\./g, '').replace(/(..)(?!$)/g, '$1-');
    expect((await harness.instance.api.maintenance.apAction(colonForm, 'exclude', ADMIN)).status).toBe(202);
    expect((await harness.instance.api.maintenance.apAction(dashForm, 'include', ADMIN)).status).toBe(202);
    expect(aps(harness).find((ap) => ap.mac === excluded.mac)!.activationExcluded).toBe(false);
    expect(await harness.instance.api.maintenance.apAction(colonForm, 'exclude', ADMIN)).toMatchObject({ status: 202, body: { mac: excluded.mac, activationExcluded: true } });
    expect(await harness.instance.api.maintenance.apAction('not-a-mac', 'exclude', ADMIN)).toMatchObject({ status: 400 });
    expect(aps(harness).find((ap) => ap.mac === excluded.mac)!.activationExcluded).toBe(true);
    expect((await harness.instance.api.activate(ADMIN, {})).status).toBe(202);
    await waitFor(
      'stage Completed',
      () => view(harness!).stage,
      (stage) => stage === 'Completed' || stage === 'Failed',
      30_000,
    );
    expect(excluded.images).toMatchObject({ primaryVersion: DEMO_FLEET_VERSION, backupVersion: DEMO_BUNDLE_VERSION });
    expect(fleet.agents.filter((agent) => agent !== excluded).every((agent) => agent.images.primaryVersion === DEMO_BUNDLE_VERSION)).toBe(true);
  });
});
