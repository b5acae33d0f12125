import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { syslogLineText, type SyslogLine } from '../../lib/syslog';
import type { FleetAp } from '../sim/ap/fleetSpec';
import type { Fleet } from '../sim/ap/simulatedFleet';
import { DEMO_CURRENT_BUNDLE, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { ADMIN, startConsoleHarness, startTestFleet, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';

// Retry now (the AP row's button, POST /api/ap-image/MAC/retry) of an AP whose download at join failed, against
// Debian's tftpd-hpa serving the controller's own version and real AP agents.
let serverRoot: string;
let tftpd: { port: number; stop(): Promise<void> };
let harness: ConsoleHarness | null = null;
let joiner: Fleet | null = null;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bundle-'));
  ensureDemoBundle(serverRoot, 20_000, undefined, DEMO_CURRENT_BUNDLE);
  tftpd = await startTftpdHpa({ root: serverRoot });
});

afterAll(async () => {
  await tftpd?.stop();
  fs.rmSync(serverRoot, { recursive: true, force: true });
});

afterEach(async () => {
  await joiner?.stop();
  joiner = null;
  await harness?.dispose();
  harness = null;
});

const HOSTING = DEMO_FLEET.find((ap) => ap.hostsController)!;
const OLD_VERSION = '17.3.3.26';
const OLD: FleetAp = {
  name: '9105-old-1',
  mac: '70f0.96a1.0001',
  model: 'C9105AXI-B',
  imageType: 'ap1g8',
  primaryVersion: OLD_VERSION,
  backupVersion: '8.10.130.0',
  freeSpaceKb: 400_000,
  hostsController: false,
};

const row = (h: ConsoleHarness) => (h.instance.api.getApImage().body as ApImageReport).aps.find((ap) => ap.name === OLD.name)!;
const shown = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map(syslogLineText);
const saveProfile = (h: ConsoleHarness, imagePath: string) => h.instance.api.saveProfile({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath, port: tftpd.port, parallelMode: false }, ADMIN);

/** A console whose controller runs 17.9.4.27, the profile on a wrong path, and the old AP's download at join failed and waiting for its retry. */
async function failedAtJoin(env: Record<string, string>): Promise<ConsoleHarness> {
  const h = await startConsoleHarness(env);
  harness = h;
  await h.startFleet([HOSTING]);
  await waitFor(
    'the AP hosting the controller',
    () => (h.instance.api.getApImage().body as ApImageReport).aps,
    (aps) => aps.some((ap) => ap.name === HOSTING.name && ap.connected),
  );
  expect((await saveProfile(h, '/Wrong-Path')).status).toBe(200);
  joiner = await startTestFleet({ instance: h.instance, config: h.config, capwapUrl: h.capwapUrl, dir: h.config.dataDir }, [OLD]);
  await waitFor(
    'the download at join to fail',
    () => row(h),
    (r) => r?.predownloadStatus === 'Failed',
  );
  return h;
}

describe('Retry now of a download at join that failed', () => {
  it('fetches again now from the profile as saved, calling off the back-off, and the AP joins on the controller version', async () => {
    // A back-off of ten minutes: only Retry now can bring the AP its image within the test.
    const h = await failedAtJoin({ EWC_RETRY_BASE_MS: '600000', EWC_MAX_RETRIES: '2' });
    expect(row(h)).toMatchObject({ retryCount: 1, nextRetryTime: expect.any(String) });
    // The engineer fixes the path (Save), then presses the row's Retry.
    expect((await saveProfile(h, DEMO_CURRENT_BUNDLE.imagePath)).status).toBe(200);
    const retried = await h.instance.api.maintenance.apAction(OLD.mac, 'retry', ADMIN);
    // The download starts again at once: the controller fetches version.info before anything else.
    expect(retried).toMatchObject({ status: 202, body: { name: OLD.name, predownloadStatus: 'Downloading' } });
    // The retry it waited for is the one made now: Retry Count stays 1, and no retry is due any more.
    expect(row(h)).toMatchObject({ retryCount: 1, nextRetryTime: null });
    const joined = await waitFor(
      'the AP on the controller version',
      () => row(h),
      (r) => r.predownloadStatus === 'Joined' && r.connected,
      45_000,
    );
    expect(joined).toMatchObject({ primaryImage: DEMO_CURRENT_BUNDLE.version, backupImage: OLD_VERSION, retryCount: 1, nextRetryTime: null, lastError: null });
    const log = shown(h);
    expect(log.some((line) => line.endsWith(`AP Name: ${OLD.name} Mac: ${OLD.mac} Image Download retried now by the administrator`))).toBe(true);
    expect(log.some((line) => line.includes(`AP Name: ${OLD.name} Mac: ${OLD.mac} Image Download Success: ${DEMO_CURRENT_BUNDLE.version}, `))).toBe(true);
    expect((await h.instance.auth.audit.recent()).filter((entry) => entry.action === 'ap.retry').map((entry) => entry.detail)).toEqual([`${OLD.name} ${OLD.mac}`]);
  });

  it('retries one whose retries are used up, counting the retry it makes', async () => {
    const h = await failedAtJoin({ EWC_MAX_RETRIES: '0' });
    expect(row(h)).toMatchObject({ retryCount: 0, nextRetryTime: null });
    expect((await saveProfile(h, DEMO_CURRENT_BUNDLE.imagePath)).status).toBe(200);
    expect((await h.instance.api.maintenance.apAction(OLD.mac, 'retry', ADMIN)).status).toBe(202);
    const joined = await waitFor(
      'the AP on the controller version',
      () => row(h),
      (r) => r.predownloadStatus === 'Joined' && r.connected,
      45_000,
    );
    expect(joined).toMatchObject({ primaryImage: DEMO_CURRENT_BUNDLE.version, retryCount: 1 });
  });

  it('refuses, saying why, an AP that is not connected, and one running the controller version', async () => {
    const h = await failedAtJoin({ EWC_RETRY_BASE_MS: '600000' });
    await joiner!.stop();
    await waitFor(
      'the AP to be gone',
      () => row(h),
      (r) => !r.connected,
    );
    expect(await h.instance.api.maintenance.apAction(OLD.mac, 'retry', ADMIN)).toEqual({
      status: 409,
      body: { error: `${OLD.name} is not connected: it is given the controller's version (${DEMO_CURRENT_BUNDLE.version}) when it joins again.` },
    });
    expect(await h.instance.api.maintenance.apAction(HOSTING.mac, 'retry', ADMIN)).toMatchObject({ status: 409, body: { error: `${HOSTING.name} has not failed (it is None).` } });
  });
});

describe('an AP that joins again during its download at join', () => {
  it('says that its download goes on, and the AP gets its image', async () => {
    // One delivery slot and a slow link: the second AP waits for the slot while the first receives.
    const h = await startConsoleHarness({ EWC_MAX_CONCURRENT_PREDOWNLOADS: '1' });
    harness = h;
    await h.startFleet([HOSTING]);
    await waitFor(
      'the AP hosting the controller',
      () => (h.instance.api.getApImage().body as ApImageReport).aps,
      (aps) => aps.some((ap) => ap.name === HOSTING.name && ap.connected),
    );
    expect((await saveProfile(h, DEMO_CURRENT_BUNDLE.imagePath)).status).toBe(200);
    const second: FleetAp = { ...OLD, name: '9105-old-2', mac: '70f0.96a1.0002' };
    joiner = await startTestFleet({ instance: h.instance, config: h.config, capwapUrl: h.capwapUrl, dir: h.config.dataDir }, [OLD, second], 40);
    // Whichever of the two joined second waits for the slot (the order of two joins at once is not fixed).
    const found = await waitFor(
      'one AP waiting for the slot',
      () => (h.instance.api.getApImage().body as ApImageReport).aps.find((ap) => (ap.name === OLD.name || ap.name === second.name) && ap.queuePosition === 1),
      (ap) => ap !== undefined,
    );
    const index = found!.name === OLD.name ? 0 : 1;
    const waiting = [OLD, second][index]!;
    // It drops and joins again (a reload of its own) while its download waits for the slot.
    await joiner.agents[index]!.stop();
    await joiner.agents[index]!.start();
    await waitFor(
      'the log to say what happens',
      () => shown(h),
      (log) => log.some((line) => line.endsWith(`AP Name: ${waiting.name} Mac: ${waiting.mac} Image Download at join goes on: the AP joined again running ${OLD_VERSION} during it`)),
    );
    const joined = await waitFor(
      'the AP on the controller version',
      () => (h.instance.api.getApImage().body as ApImageReport).aps.find((ap) => ap.name === waiting.name)!,
      (r) => r.predownloadStatus === 'Joined' && r.connected,
      60_000,
    );
    expect(joined.primaryImage).toBe(DEMO_CURRENT_BUNDLE.version);
  });
});
