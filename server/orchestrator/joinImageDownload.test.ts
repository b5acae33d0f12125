import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { syslogLineText, type SyslogLine } from '../../lib/syslog';
import { renderShowApImage } from '../cli/render/showApImage';
import type { FleetAp } from '../sim/ap/fleetSpec';
import type { Fleet } from '../sim/ap/simulatedFleet';
import { DEMO_BUNDLE_VERSION, DEMO_CURRENT_BUNDLE, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { ADMIN, fleetCliTrustArgs, startConsoleHarness, startTestFleet, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { seedLine, seedSyslogLineAs } from '../sim/testing/seedText';
import { freeTcpPort } from '../sim/testing/freeTcpPort';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';

// The EWC's image download at join, against Debian's tftpd-hpa serving two bundles: the controller's own version
// (17.9.4.27, the seed's `EWC_17_9_4a`) and a newer one. The controller's AP version is the one the AP hosting it runs.
let serverRoot: string;
let tftpd: { port: number; stop(): Promise<void> };
let harness: ConsoleHarness | null = null;
let joiners: Fleet | null = null;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bundle-'));
  ensureDemoBundle(serverRoot, 20_000);
  ensureDemoBundle(serverRoot, 20_000, undefined, DEMO_CURRENT_BUNDLE);
  tftpd = await startTftpdHpa({ root: serverRoot });
});

afterAll(async () => {
  await tftpd?.stop();
  fs.rmSync(serverRoot, { recursive: true, force: true });
});

afterEach(async () => {
  await joiners?.stop();
  joiners = null;
  await harness?.dispose();
  harness = null;
});

const HOSTING = DEMO_FLEET.find((ap) => ap.hostsController)!;
const OLD_VERSION = '17.3.3.26';
const OLD_BACKUP = '8.10.130.0';
/** Two 9105s (ap1g8, as in the seed's AP log) still on 17.3.3.26. */
const OLD_APS: FleetAp[] = [
  { name: '9105-old-1', mac: '70f0.96a1.0001', model: 'C9105AXI-B', imageType: 'ap1g8', primaryVersion: OLD_VERSION, backupVersion: OLD_BACKUP, freeSpaceKb: 400_000, hostsController: false },
  { name: '9105-old-2', mac: '70f0.96a1.0002', model: 'C9105AXI-B', imageType: 'ap1g8', primaryVersion: OLD_VERSION, backupVersion: OLD_BACKUP, freeSpaceKb: 400_000, hostsController: false },
];

const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const row = (h: ConsoleHarness, name: string) => report(h).aps.find((ap) => ap.name === name)!;
/** The log as `show logging` prints it. */
const shown = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map(syslogLineText);
/** What one AP logged (relayed as `NAME: …`), in order. */
const apLines = (h: ConsoleHarness, name: string) =>
  (h.instance.api.getSyslog().body as SyslogLine[]).filter((line) => line.text.startsWith(`${name}: `)).map((line) => line.text.slice(name.length + 2));
const capwapPort = (h: ConsoleHarness) => new URL(h.capwapUrl).port;
/** The seed's AP-side line without its `[*01/30/2024 21:41:35.1130] ` time. */
const seedApLine = (words: string) => seedLine(words).replace(/^\[\*[^\]]+\] /, '');

async function consoleWithController(env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const h = await startConsoleHarness(env);
  await h.startFleet([HOSTING]);
  await waitFor(
    'the AP hosting the controller',
    () => report(h).aps,
    (aps) => aps.some((ap) => ap.name === HOSTING.name && ap.connected),
  );
  return h;
}

function saveProfile(h: ConsoleHarness, imagePath: string) {
  return h.instance.api.saveProfile({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath, port: tftpd.port, parallelMode: false }, ADMIN);
}

async function join(h: ConsoleHarness, aps: FleetAp[], linkKbps = 0): Promise<Fleet> {
  joiners = await startTestFleet({ instance: h.instance, config: h.config, capwapUrl: h.capwapUrl, dir: h.config.dataDir }, aps, linkKbps);
  return joiners;
}

describe('image download for APs that join', () => {
  it('gives an old AP the controller version as its primary image; it reloads and joins again on it, and one fetch serves both joiners', async () => {
    // One delivery slot and a slow link: the second AP waits for the slot while the first receives.
    harness = await consoleWithController({ EWC_MAX_CONCURRENT_PREDOWNLOADS: '1' });
    const h = harness;
    expect((await saveProfile(h, DEMO_CURRENT_BUNDLE.imagePath)).status).toBe(200);
    const fleet = await join(h, OLD_APS, 80);

    // The controller holds the image and both APs are still downloading it: show ap image counts them as IOS does.
    const during = await waitFor(
      'both APs counted as Completed downloading',
      () => report(h),
      (r) => r.summary.completedDownloading === 2 && r.aps.some((ap) => ap.queuePosition === 1),
    );
    // One receives in the one slot, the other waits for it: its row says so.
    expect(during.aps.map((ap) => ap.queuePosition).filter((position) => position !== null)).toEqual([1]);
    expect(during.summary).toMatchObject({ downloading: 0, completedDownloading: 2, predownloadInProgress: false });
    expect(renderShowApImage(during)).toEqual(expect.arrayContaining([expect.stringMatching(/^ +Completed downloading +: 2$/), expect.stringMatching(/^ +Downloading +: 0$/)]));
    expect(during.aps.filter((ap) => OLD_APS.some((old) => old.name === ap.name)).map((ap) => ap.predownloadStatus)).toEqual(['Downloading', 'Downloading']);

    for (const ap of OLD_APS) {
      await waitFor(
        `${ap.name} joined again`,
        () => row(h, ap.name),
        (r) => r.predownloadStatus === 'Joined' && r.connected,
        45_000,
      );
      expect(row(h, ap.name)).toMatchObject({ primaryImage: DEMO_CURRENT_BUNDLE.version, backupImage: OLD_VERSION, lastError: null });
    }
    expect(fleet.agents.map((agent) => [agent.images.primaryVersion, agent.images.backupVersion])).toEqual([
      [DEMO_CURRENT_BUNDLE.version, OLD_VERSION],
      [DEMO_CURRENT_BUNDLE.version, OLD_VERSION],
    ]);
    expect(report(h).summary).toMatchObject({ downloading: 0, completedDownloading: 0, joined: 2 });

    const log = shown(h);
    const imageUrl = `tftp://127.0.0.1:${tftpd.port}${DEMO_CURRENT_BUNDLE.imagePath}/ap1g8`;
    // Fetched once into the image cache, for both APs.
    expect(log.filter((line) => line.endsWith(`Started install add ${imageUrl}`))).toHaveLength(1);
    expect(log.filter((line) => line.endsWith(`Completed install add ${imageUrl}`))).toHaveLength(1);
    // Seed: *Feb 1 17:07:00.720: %CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN: Chassis 1 R0/0: wncd: AP Event: AP Name: AP-POD-2-2 Mac: 2c5a.0f40.6920 Session-IP: 172.16.4.33[5248] 172.16.4.26[5246] Disjoined Image Download Success
    // Differs: the time, the AP's name and MAC, and the session's two ends (the AP's address and port as the AP port sees them, the controller's AP port).
    for (const ap of OLD_APS) {
      const success = log.filter((line) => line.includes(`AP Name: ${ap.name} `) && line.includes('Disjoined'));
      expect(success).toHaveLength(1);
      const apPort = /Session-IP: 127\.0\.0\.1\[(\d+)\] /.exec(success[0])?.[1];
      expect(success[0]).toBe(
        seedSyslogLineAs(seedLine('Disjoined Image Download Success'), success[0], {
          'AP-POD-2-2': ap.name,
          '2c5a.0f40.6920': ap.mac,
          '172.16.4.33[5248]': `127.0.0.1[${apPort}]`,
          '172.16.4.26[5246]': `127.0.0.1[${capwapPort(h)}]`,
        }),
      );
      // The AP's side, in the seed's words and order. Differs: the controller's address; no replicaStatus (no AP copies an
      // image to another here) and no WriteTaskId.
      const lines = apLines(h, ap.name);
      const expected = [
        seedApLine('21:41:35.1120] CAPWAP State: Image Data'),
        seedApLine('21:41:35.1130] AP image version 17.3.3.26 backup 8.10.130.0, Controller 17.9.4.27'),
        seedApLine('21:41:35.1130] Version does not match.'),
        seedApLine('21:41:35.4650] Image Data Request sent to').replace('172.16.4.26', '127.0.0.1').replace(', replicaStatus 1', ''),
        seedApLine('Last block stored, IsPre 0').replace(', WriteTaskId 0', ''),
        seedApLine('Image transfer completed from WLC'),
        seedApLine("21:43:13.5110] status 'upgrade.sh: Script called with args:[PREDOWNLOAD]'"),
      ];
      expect(lines.filter((line) => expected.includes(line))).toEqual(expected);
    }
  });

  it('sends nothing when the profile bundle holds another version than the controller, and says why in the row and the log', async () => {
    harness = await consoleWithController();
    const h = harness;
    expect((await saveProfile(h, DEMO_IMAGE_PATH)).status).toBe(200);
    const [old] = OLD_APS;
    const fleet = await join(h, [old]);
    const failed = await waitFor(
      'the row to say why',
      () => row(h, old.name),
      (r) => r.predownloadStatus === 'Failed',
    );
    expect(failed.lastError).toBe(
      `The image download profile's bundle tftp://127.0.0.1:${tftpd.port}${DEMO_IMAGE_PATH}/ holds AP image ${DEMO_BUNDLE_VERSION}, the controller runs ${DEMO_CURRENT_BUNDLE.version}: no image sent`,
    );
    expect(failed.nextRetryTime).toBeNull();
    const log = shown(h);
    // Seed: *Feb 1 20:29:14.108: %CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN: … AP Name: AP-9117 Mac: 0cd0.f897.ade0 Session-IP: 172.16.4.34[5248] 172.16.4.26[5246] Disjoined Image Download Failed
    const disjoined = log.filter((line) => line.includes(`AP Name: ${old.name} `) && line.includes('Disjoined'));
    expect(disjoined).toHaveLength(1);
    const apPort = /Session-IP: 127\.0\.0\.1\[(\d+)\] /.exec(disjoined[0])?.[1];
    expect(disjoined[0]).toBe(
      seedSyslogLineAs(seedLine('20:29:14.108'), disjoined[0], {
        'AP-9117': old.name,
        '0cd0.f897.ade0': old.mac,
        '172.16.4.34[5248]': `127.0.0.1[${apPort}]`,
        '172.16.4.26[5246]': `127.0.0.1[${capwapPort(h)}]`,
      }),
    );
    expect(log[log.indexOf(disjoined[0]) + 1]).toContain(`AP Name: ${old.name} Mac: ${old.mac} Image Download Failed: ${failed.lastError}`);
    // No image was fetched, none reached the AP, and the AP says its download cannot start.
    expect(log.filter((line) => line.includes('install add') && line.endsWith('/ap1g8'))).toEqual([]);
    await waitFor(
      'the AP to abort',
      () => apLines(h, old.name),
      (lines) => lines.some((line) => line.includes('args:[ABORT]')),
    );
    const lines = apLines(h, old.name);
    expect(lines).toContain(seedApLine('Going to restart CAPWAP (reason : image download cannot start)...'));
    expect(lines).toContain(`status '${seedApLine('07:41:29.9560] upgrade.sh: Script called with args:[ABORT]')}'`);
    expect(lines.some((line) => line.startsWith('Image Data Request'))).toBe(false);
    expect(fleet.agents[0].images.primaryVersion).toBe(OLD_VERSION);
  });

  it('retries a failing image server with the usual back-off', async () => {
    harness = await consoleWithController({ EWC_RETRY_BASE_MS: '300', EWC_MAX_RETRIES: '1', EWC_TFTP_TIMEOUT_MS: '2000' });
    const h = harness;
    expect((await saveProfile(h, '/Wrong-Path')).status).toBe(200);
    const [old] = OLD_APS;
    await join(h, [old]);
    await waitFor(
      'the retry to fail too',
      () => shown(h).filter((line) => line.includes(`AP Name: ${old.name} `) && line.includes('Image Download Failed:')),
      (lines) => lines.length === 2,
    );
    const failures = shown(h).filter((line) => line.includes(`AP Name: ${old.name} `) && line.includes('Image Download Failed:'));
    const reason = `Failed to download file tftp://127.0.0.1:${tftpd.port}/Wrong-Path/version.info: No such file or directory`;
    expect(failures[0]).toMatch(new RegExp(`Image Download Failed: ${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(retry 1 of 1 at \\S+Z\\)$`));
    expect(failures[1].endsWith(`Image Download Failed: ${reason}`)).toBe(true);
    expect(shown(h).filter((line) => line.endsWith('Started install add tftp://127.0.0.1:' + tftpd.port + '/Wrong-Path/version.info'))).toHaveLength(2);
    expect(row(h, old.name)).toMatchObject({ predownloadStatus: 'Failed', retryCount: 1, nextRetryTime: null, lastError: reason });
    await waitFor(
      'the AP to restart its download twice',
      () => apLines(h, old.name).filter((line) => line === seedApLine('Going to restart CAPWAP (reason : image download cannot start)...')),
      (lines) => lines.length === 2,
    );
  });

  it('upgrades an old AP started with npm run fleet --version at its join', async () => {
    harness = await consoleWithController();
    const h = harness;
    expect((await saveProfile(h, DEMO_CURRENT_BUNDLE.imagePath)).status).toBe(200);
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-fleet-cli-'));
    const args = ['server/sim/ap/fleetCli.ts', '--controller', h.capwapUrl, '--count', '1', '--version', OLD_VERSION, '--reload-ms', '200', '--data-dir', storage, ...fleetCliTrustArgs(h)];
    const fleet = spawn(path.resolve('node_modules/.bin/tsx'), args, { stdio: 'ignore' });
    try {
      const joined = await waitFor(
        'the old AP on the controller version',
        () => report(h).aps.find((ap) => ap.name.startsWith('SIM-')),
        (ap) => ap?.predownloadStatus === 'Joined' && ap.connected,
        45_000,
      );
      expect(joined).toMatchObject({ primaryImage: DEMO_CURRENT_BUNDLE.version, backupImage: OLD_VERSION });
      expect(apLines(h, joined!.name)).toContain(seedApLine('21:41:35.1130] AP image version 17.3.3.26 backup 8.10.130.0, Controller 17.9.4.27'));
    } finally {
      const exited = new Promise((resolve) => fleet.once('exit', resolve));
      fleet.kill('SIGTERM');
      await exited;
      fs.rmSync(storage, { recursive: true, force: true });
    }
  });

  it('stops for a predownload, which takes the AP as one of its own', async () => {
    harness = await consoleWithController();
    const h = harness;
    expect((await saveProfile(h, DEMO_CURRENT_BUNDLE.imagePath)).status).toBe(200);
    const [old] = OLD_APS;
    // A slow link (the image's one block takes 8 s to pass it): the AP is still receiving its image when the predownload starts.
    const fleet = await join(h, [old], 20);
    await waitFor(
      'the AP receiving its image',
      () => apLines(h, old.name),
      (lines) => lines.some((line) => line.startsWith('Image Data Request sent')),
    );
    const started = await h.instance.api.startDownload({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: false }, ADMIN);
    expect(started.status).toBe(202);
    const upgradeId = h.instance.orchestrator.view().upgradeId;
    expect(shown(h).some((line) => line.endsWith(`AP Name: ${old.name} Mac: ${old.mac} Image Download Aborted: a predownload takes precedence (upgrade ${upgradeId})`))).toBe(true);
    await waitFor(
      'the predownload to end',
      () => h.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      45_000,
    );
    expect(h.instance.orchestrator.view().stage).toBe('Activate');
    expect(row(h, old.name)).toMatchObject({ predownloadStatus: 'Complete', primaryImage: OLD_VERSION, backupImage: DEMO_BUNDLE_VERSION });
    expect(fleet.agents[0].images).toMatchObject({ primaryVersion: OLD_VERSION, backupVersion: DEMO_BUNDLE_VERSION });
    expect(apLines(h, old.name)).toContain(`status '${seedApLine('07:41:29.9560] upgrade.sh: Script called with args:[ABORT]')}'`);
  });

  it('gives an AP that joins during an activation nothing until the activation ends, then the controller new version', async () => {
    // The AP hosting the controller stays away after its reload until the test starts it again.
    harness = await consoleWithController({ EWC_RELOAD_MS: '600000' });
    const h = harness;
    const started = await h.instance.api.startDownload({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: false }, ADMIN);
    expect(started.status).toBe(202);
    await waitFor(
      'stage Activate',
      () => h.instance.orchestrator.view().stage,
      (stage) => stage === 'Activate',
      45_000,
    );
    await h.instance.orchestrator.activate();
    await waitFor(
      'the AP hosting the controller reloading',
      () => row(h, HOSTING.name),
      (r) => r.predownloadStatus === 'Reloading' && !r.connected,
    );
    const [old] = OLD_APS;
    const oldFleet = await join(h, [old]);
    const upgradeId = h.instance.orchestrator.view().upgradeId;
    await waitFor(
      'the join during the activation to be logged',
      () => shown(h),
      (log) =>
        log.some((line) =>
          line.endsWith(
            `AP Name: ${old.name} Mac: ${old.mac} No image download at join: an activation is in progress (upgrade ${upgradeId}); the AP is given the controller's version when the activation ends`,
          ),
        ),
    );
    expect(row(h, old.name)).toMatchObject({ predownloadStatus: 'None', primaryImage: OLD_VERSION });

    const hosting = h.fleet!.agents[0];
    await hosting.stop();
    await hosting.start();
    await waitFor(
      'the activation to end',
      () => h.instance.orchestrator.view().stage,
      (stage) => stage === 'Completed',
    );
    // Given the new version at its join, the AP reloads into it (it too is started again rather than waited for).
    await waitFor(
      'the AP reloading into the controller new version',
      () => row(h, old.name),
      (r) => r.predownloadStatus === 'Reloading',
      45_000,
    );
    await oldFleet.agents[0].stop();
    await oldFleet.agents[0].start();
    const joined = await waitFor(
      'the AP on the controller new version',
      () => row(h, old.name),
      (r) => r.predownloadStatus === 'Joined' && r.connected,
      45_000,
    );
    expect(joined).toMatchObject({ primaryImage: DEMO_BUNDLE_VERSION, backupImage: OLD_VERSION });
  });

  it('starts a download at join over when the controller restarted during it', async () => {
    const env = { PORT: String(await freeTcpPort()), EWC_CAPWAP_PORT: String(await freeTcpPort()) };
    const first = await consoleWithController(env);
    harness = first;
    expect((await saveProfile(first, DEMO_CURRENT_BUNDLE.imagePath)).status).toBe(200);
    const [old] = OLD_APS;
    await join(first, [old], 20);
    await waitFor(
      'the AP receiving its image',
      () => apLines(first, old.name),
      (lines) => lines.some((line) => line.startsWith('Image Data Request sent')),
    );
    await first.instance.close('controller stopped by SIGTERM');
    first.browser.close();

    const restarted = await startConsoleHarness(env, first.config.dataDir);
    restarted.fleet = first.fleet;
    harness = restarted;
    const joined = await waitFor(
      'the AP on the controller version',
      () => row(restarted, old.name),
      (r) => r?.predownloadStatus === 'Joined' && r.connected,
      45_000,
    );
    expect(joined).toMatchObject({ primaryImage: DEMO_CURRENT_BUNDLE.version, backupImage: OLD_VERSION });
    expect(shown(restarted).some((line) => line.endsWith(`AP Name: ${old.name} Mac: ${old.mac} Image Download Aborted: the controller restarted during it`))).toBe(true);
  });

  it('sends nothing, and says why, while the controller version is unknown (no AP hosting it has joined)', async () => {
    harness = await startConsoleHarness();
    const h = harness;
    expect((await saveProfile(h, DEMO_CURRENT_BUNDLE.imagePath)).status).toBe(200);
    const [old] = OLD_APS;
    const fleet = await join(h, [old]);
    await waitFor(
      'the reason in the log',
      () => shown(h),
      (log) =>
        log.some((line) =>
          line.endsWith(
            `AP Name: ${old.name} Mac: ${old.mac} No image download at join: the controller's AP image version is unknown (no AP hosting the controller has joined); the AP keeps running ${OLD_VERSION}`,
          ),
        ),
    );
    expect(row(h, old.name)).toMatchObject({ predownloadStatus: 'None', primaryImage: OLD_VERSION });
    expect(shown(h).filter((line) => line.includes('install add'))).toEqual([]);
    expect(fleet.agents[0].images.primaryVersion).toBe(OLD_VERSION);
  });
});
