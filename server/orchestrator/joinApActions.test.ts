import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { syslogLineText, type SyslogLine } from '../../lib/syslog';
import type { FleetAp } from '../sim/ap/fleetSpec';
import { apStorageDir } from '../sim/ap/apStorage';
import type { Fleet } from '../sim/ap/simulatedFleet';
import { DEMO_CURRENT_BUNDLE, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { ADMIN, startConsoleHarness, startTestFleet, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { freeTcpPort } from '../sim/testing/freeTcpPort';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';

// The AP row's actions on a download at join, Retry now (POST /api/ap-image/MAC/retry) and Abort (…/abort), and
// what a restart leaves of one waiting for its retry, against Debian's tftpd-hpa serving the controller's own
// version and real AP agents.
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

/** A console whose controller runs the current demo version: the AP hosting it has joined. */
async function withController(env: Record<string, string>): Promise<ConsoleHarness> {
  const h = await startConsoleHarness(env);
  harness = h;
  await h.startFleet([HOSTING]);
  await waitFor(
    'the AP hosting the controller',
    () => (h.instance.api.getApImage().body as ApImageReport).aps,
    (aps) => aps.some((ap) => ap.name === HOSTING.name && ap.connected),
  );
  return h;
}

/** The same, with its profile saved on `imagePath`, and the old AP joined over a link of `linkKbps`. */
async function joinedOld(imagePath: string, linkKbps: number, env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const h = await withController(env);
  expect((await saveProfile(h, imagePath)).status).toBe(200);
  joiner = await startTestFleet({ instance: h.instance, config: h.config, capwapUrl: h.capwapUrl, dir: h.config.dataDir }, [OLD], linkKbps);
  return h;
}

/** The same, the profile on a wrong path, and the old AP's download at join failed and waiting for its retry. */
async function failedAtJoin(env: Record<string, string>): Promise<ConsoleHarness> {
  const h = await joinedOld('/Wrong-Path', 0, env);
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
      body: {
        error: `${OLD.name} is not connected: it is given the controller's version (${DEMO_CURRENT_BUNDLE.version}) when it joins again.`,
        code: 'atJoinNotConnected',
        params: { name: OLD.name, version: DEMO_CURRENT_BUNDLE.version },
      },
    });
    expect(await h.instance.api.maintenance.apAction(HOSTING.mac, 'retry', ADMIN)).toMatchObject({ status: 409, body: { error: `${HOSTING.name} has not failed (it is None).` } });
  });
});

describe('an AP that joins again during its download at join', () => {
  it('says that its download goes on, and the AP gets its image', async () => {
    // One delivery slot and a slow link: the second AP waits for the slot while the first receives.
    const h = await withController({ EWC_MAX_CONCURRENT_PREDOWNLOADS: '1' });
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

describe('Abort of a download at join', () => {
  it('stops the transfer under way: the AP drops its partial image, keeps running its version and stays joined', async () => {
    // A slow link keeps the transfer under way while the administrator aborts it.
    const h = await joinedOld(DEMO_CURRENT_BUNDLE.imagePath, 8);
    await waitFor(
      'the image under way to the AP',
      () => shown(h),
      (log) => log.some((line) => line.includes(`${OLD.name}: Image Data Request sent`)),
      30_000,
    );
    expect(row(h).predownloadStatus).toBe('Downloading');
    const aborted = await h.instance.api.maintenance.apAction(OLD.mac, 'abort', ADMIN);
    expect(aborted).toMatchObject({ status: 202, body: { name: OLD.name, predownloadStatus: 'Aborted' } });
    const now = row(h);
    expect(now).toMatchObject({ predownloadStatus: 'Aborted', primaryImage: OLD_VERSION, connected: true, nextRetryTime: null });
    expect(
      shown(h).some((line) =>
        line.endsWith(`AP Name: ${OLD.name} Mac: ${OLD.mac} Image Download Aborted: aborted for this AP by the administrator; it is given the controller's version when it joins again`),
      ),
    ).toBe(true);
    expect((await h.instance.auth.audit.recent()).filter((entry) => entry.action === 'ap.abort').map((entry) => entry.detail)).toEqual([`${OLD.name} ${OLD.mac}`]);
    // The AP's own side: no transfer left, no partial file, still on its old image.
    const agentDir = apStorageDir(path.join(h.config.dataDir, 'fleet'), OLD.mac);
    await waitFor(
      'the AP to drop its partial image',
      () => fs.readdirSync(agentDir),
      (files) => !files.some((file) => file.endsWith('.part')),
    );
    expect(joiner!.agents[0].images.primaryVersion).toBe(OLD_VERSION);
    // A second Abort has nothing to stop, and says so.
    expect(await h.instance.api.maintenance.apAction(OLD.mac, 'abort', ADMIN)).toEqual({
      status: 409,
      body: { error: `${OLD.name} has no image download under way (it is Aborted).`, code: 'atJoinNoDownload', params: { name: OLD.name, status: 'Aborted' } },
    });
  });

  it('calls off the retry a failed one waits for', async () => {
    const h = await joinedOld('/Wrong-Path', 0, { EWC_RETRY_BASE_MS: '600000' });
    await waitFor(
      'the download at join to fail',
      () => row(h),
      (r) => r?.predownloadStatus === 'Failed' && r.nextRetryTime !== null,
    );
    expect(await h.instance.api.maintenance.apAction(OLD.mac, 'abort', ADMIN)).toMatchObject({ status: 202, body: { predownloadStatus: 'Aborted' } });
    expect(row(h)).toMatchObject({ predownloadStatus: 'Aborted', nextRetryTime: null });
  });
});

describe('a download at join waiting for its retry when the controller restarts', () => {
  it('shows no Next Retry Time the restarted controller does not keep, and starts over when the AP joins', async () => {
    const env = { PORT: String(await freeTcpPort()), EWC_CAPWAP_PORT: String(await freeTcpPort()), EWC_RETRY_BASE_MS: '600000' };
    const first = await joinedOld('/Wrong-Path', 0, env);
    await waitFor(
      'the download at join to fail',
      () => row(first),
      (r) => r?.predownloadStatus === 'Failed' && r.nextRetryTime !== null,
    );
    await joiner!.stop();
    joiner = null;
    await first.stop();

    const restarted = await startConsoleHarness(env, first.config.dataDir);
    harness = restarted;
    // The AP has not joined again: its row keeps the failure, and promises no retry nobody will make.
    expect(row(restarted)).toMatchObject({ predownloadStatus: 'Failed', nextRetryTime: null, lastError: expect.stringContaining('Wrong-Path') });
    // Fixed path, then the AP joins: it is given the controller's version.
    expect((await saveProfile(restarted, DEMO_CURRENT_BUNDLE.imagePath)).status).toBe(200);
    await restarted.startFleet([HOSTING]);
    joiner = await startTestFleet({ instance: restarted.instance, config: restarted.config, capwapUrl: restarted.capwapUrl, dir: restarted.config.dataDir }, [OLD]);
    const joined = await waitFor(
      'the AP on the controller version',
      () => row(restarted),
      (r) => r?.predownloadStatus === 'Joined' && r.connected,
      45_000,
    );
    expect(joined).toMatchObject({ primaryImage: DEMO_CURRENT_BUNDLE.version, nextRetryTime: null });
  });
});
