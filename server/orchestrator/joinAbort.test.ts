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

// Abort (the AP row's button, POST /api/ap-image/MAC/abort) of a download at join, and what a restart leaves of
// one waiting for its retry, against Debian's tftpd-hpa serving the controller's own version and real AP agents.
let serverRoot: string;
let tftpd: { port: number; stop(): Promise<void> };
let harness: ConsoleHarness | null = null;
let joiner: Fleet | null = null;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bundle-'));
  ensureDemoBundle(serverRoot, 400_000, undefined, DEMO_CURRENT_BUNDLE);
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

/** A console whose controller runs the current demo version, with its profile saved on `imagePath`, and the old AP joined over a link of `linkKbps`. */
async function joinedOld(imagePath: string, linkKbps: number, env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const h = await startConsoleHarness(env);
  harness = h;
  await h.startFleet([HOSTING]);
  await waitFor(
    'the AP hosting the controller',
    () => (h.instance.api.getApImage().body as ApImageReport).aps,
    (aps) => aps.some((ap) => ap.name === HOSTING.name && ap.connected),
  );
  expect((await saveProfile(h, imagePath)).status).toBe(200);
  joiner = await startTestFleet({ instance: h.instance, config: h.config, capwapUrl: h.capwapUrl, dir: h.config.dataDir }, [OLD], linkKbps);
  return h;
}

describe('Abort of a download at join', () => {
  it('stops the transfer under way: the AP drops its partial image, keeps running its version and stays joined', async () => {
    // A slow link keeps the transfer under way while the administrator aborts it.
    const h = await joinedOld(DEMO_CURRENT_BUNDLE.imagePath, 64);
    await waitFor(
      'the image under way to the AP',
      () => row(h),
      (r) => r?.predownloadStatus === 'Downloading' && r.percent > 0,
      30_000,
    );
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
    expect(await h.instance.api.maintenance.apAction(OLD.mac, 'abort', ADMIN)).toEqual({ status: 409, body: { error: `${OLD.name} has no image download under way (it is Aborted).` } });
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
