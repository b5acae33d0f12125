import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { syslogLineText, type SyslogLine } from '../../lib/syslog';
import type { UpgradeHistoryDetail, UpgradeHistoryEntry } from '../../lib/upgradeHistory';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { DEMO_BUNDLE_CONTROLLER_VERSION, DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH } from '../sim/demo/demoBundle';
import { demoBundleServerForFile } from '../sim/testing/demoBundleServer';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { seedLine, seedSyslogLineAs } from '../sim/testing/seedText';
import { freeUdpPort, writeRandomFile } from '../sim/testing/tftpdHpa';
import { apStorageDir } from '../sim/ap/apStorage';

// A real image server for the whole file: Debian's tftpd-hpa on a loopback port, serving a generated bundle.
const server = demoBundleServerForFile();

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

function profile(overrides: Record<string, unknown> = {}) {
  return { mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port, parallelMode: false, ...overrides };
}

const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const upgrade = (h: ConsoleHarness) => h.instance.orchestrator.view();
const apNamed = (h: ConsoleHarness, name: string) => report(h).aps.find((ap) => ap.name === name)!;
/** The log as `show logging` prints it. */
const shownSyslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map(syslogLineText);
const capwapPort = (h: ConsoleHarness) => new URL(h.capwapUrl).port;

describe('predownload over TFTP to a fleet of AP agents', () => {
  it('delivers each image type byte-exact, reaches Activate, then reloads every AP onto the new version', async () => {
    harness = await startConsoleHarness();
    // A slow link so the page sees progress between 0 and 100 %.
    const fleet = await harness.startFleet(DEMO_FLEET, 6000);

    const started = await harness.instance.api.startDownload(profile(), ADMIN);
    expect(started.status).toBe(202);
    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(409);

    await waitFor(
      'stage Activate',
      () => upgrade(harness!),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      90_000,
    );
    expect(upgrade(harness).stage).toBe('Activate');
    expect(upgrade(harness).targetVersion).toBe(DEMO_BUNDLE_VERSION);

    const { summary, aps } = report(harness);
    expect(summary.totalAps).toBe(DEMO_FLEET.length);
    expect(summary.completedPredownloading).toBe(DEMO_FLEET.length);
    expect(summary.predownloadInProgress).toBe(false);
    for (const ap of aps) {
      expect(ap.predownloadStatus).toBe('Complete');
      expect(ap.backupImage).toBe(DEMO_BUNDLE_VERSION);
      expect(ap.primaryImage).toBe('17.9.4.27');
      expect(ap.percent).toBe(100);
    }

    // Each AP's staged file is the image the server holds, byte for byte.
    for (const ap of DEMO_FLEET) {
      const agentDir = apStorageDir(path.join(harness.config.dataDir, 'fleet'), ap.mac);
      const staged = await sha256OfFile(path.join(agentDir, 'ap-backup.img'));
      expect(staged).toBe(await sha256OfFile(path.join(server.root, DEMO_IMAGE_PATH, ap.imageType)));
      if (ap.hostsController) {
        expect(await sha256OfFile(path.join(agentDir, 'controller-backup.img'))).toBe(await sha256OfFile(path.join(server.root, DEMO_IMAGE_PATH, 'C9800-AP-iosxe-wlc.bin')));
      }
    }
    // The browser saw progress as bytes moved, not only 0 and 100.
    const seen = [...harness.browser.percentsSeen.values()].flat();
    expect(seen.some((p) => p > 0 && p < 100)).toBe(true);
    // Each image type was fetched from the image server once, however many APs run it: one Started and one Completed line for its file.
    const shown = shownSyslog(harness);
    const ap1g7Url = `tftp://127.0.0.1:${server.port}${DEMO_IMAGE_PATH}/ap1g7`;
    const startLines = shown.filter((line) => line.endsWith(`Started install add ${ap1g7Url}`));
    expect(startLines).toHaveLength(1);
    // Seed: *Feb 1 20:52:11.894: %INSTALL-5-INSTALL_START_INFO: Chassis 1 R0/0: install_engine: Started install add tftp://172.16.5.27/Wrong-Path/ap1g6
    // Differs: the time, the server's address (with its port) and the file's path.
    const seedStarted = seedLine('Started install add tftp://172.16.5.27/Wrong-Path/ap1g6');
    expect(startLines[0]).toBe(seedSyslogLineAs(seedStarted, startLines[0], { '172.16.5.27': `127.0.0.1:${server.port}`, '/Wrong-Path/ap1g6': `${DEMO_IMAGE_PATH}/ap1g7` }));
    const completed = shown.filter((line) => line.includes(`Completed install add ${ap1g7Url}`));
    expect(completed).toHaveLength(1);
    // Seed: *Feb 1 17:05:37.108: %INSTALL-5-INSTALL_COMPLETED_INFO: Chassis 1 R0/0: install_engine: Completed install add sftp://******@172.16.5.62/Documents/sftp_files/EWC_17_9_4a/ap3g3
    // Differs: the time and the file's URL (address and path; this server is TFTP, predownloadSftp.test.ts compares an SFTP one). The line ends with the URL.
    const seedCompleted = seedLine('Completed install add');
    expect(completed[0]).toBe(seedSyslogLineAs(seedCompleted, completed[0], { 'sftp://******@172.16.5.62/Documents/sftp_files/EWC_17_9_4a/ap3g3': ap1g7Url }));
    // The next line says what the TFTP server granted (tftpd-hpa grants no windowsize) and the rate achieved.
    expect(shown[shown.indexOf(completed[0]) + 1]).toMatch(
      new RegExp(`: %UPGRADE-5-AP_SW_UPDATE_LOG_MSG: Image fetched: ${ap1g7Url}: \\d+ bytes in [\\d.]+ s \\((?:[\\d.]+ MB\\/s|instant)\\); blksize 1468, windowsize 1, tsize \\d+$`),
    );
    // Each AP's download ends with the EWC's AP event, then the line saying what it received and what verified it.
    // Seed: *Feb 1 17:07:00.720: %CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN: Chassis 1 R0/0: wncd: AP Event: AP Name: AP-POD-2-2 Mac: 2c5a.0f40.6920 Session-IP: 172.16.4.33[5248] 172.16.4.26[5246] Disjoined Image Download Success
    // Differs: the time, and the session's two ends: the AP's address and port as the AP port sees them (loopback, a port TCP chose), the controller's AP port.
    const seedSuccess = seedLine('Disjoined Image Download Success');
    const success = shown.filter((line) => line.includes('AP Name: AP-POD-2-2 ') && line.includes('Disjoined'));
    expect(success).toHaveLength(1);
    const apPort = /Session-IP: 127\.0\.0\.1\[(\d+)\] /.exec(success[0])?.[1];
    expect(Number(apPort)).toBeGreaterThan(0);
    expect(success[0]).toBe(seedSyslogLineAs(seedSuccess, success[0], { '172.16.4.33[5248]': `127.0.0.1[${apPort}]`, '172.16.4.26[5246]': `127.0.0.1[${capwapPort(harness)}]` }));
    expect(shown[shown.indexOf(success[0]) + 1]).toContain(`: wncd: AP Event: AP Name: AP-POD-2-2 Mac: 2c5a.0f40.6920 Image Predownload Success: ${DEMO_BUNDLE_VERSION}, `);
    // The AP's own lines, relayed (`AP-POD-2-2: …`), in the words of the seed's AP-side log (its lines after their timestamps):
    // Seed: [*01/30/2024 21:41:35.4650] Image Data Request sent to 172.16.4.26, fileName [ap1g8], replicaStatus 1
    //   Differs: the controller's address and the file; no replicaStatus (no AP copies an image to another here: Role is NA).
    // Seed: [*01/30/2024 21:43:13.3940] Last block stored, IsPre 0, WriteTaskId 0
    //   Differs: IsPre 1, as the image is staged as the backup image (the seed's AP booted it at join); no WriteTaskId.
    // Seed: [*01/30/2024 21:43:13.3940] Image transfer completed from WLC, last 1
    // Seed: [*01/30/2024 21:43:13.5110] status 'upgrade.sh: Script called with args:[PREDOWNLOAD]'
    const seedAp = (words: string) => seedLine(words).replace(/^\[\*[\d/]+ [\d:.]+\] /, '');
    const relayed = (harness.instance.api.getSyslog().body as SyslogLine[]).filter((line) => line.text.startsWith('AP-POD-2-2: ')).map((line) => line.text.slice('AP-POD-2-2: '.length));
    expect(relayed).toContain(seedAp('Image Data Request sent to 172.16.4.26, fileName [ap1g8], replicaStatus 1').replace('172.16.4.26', '127.0.0.1').replace('[ap1g8], replicaStatus 1', '[ap3g3]'));
    expect(relayed).toContain(seedAp('Last block stored, IsPre 0').replace('IsPre 0, WriteTaskId 0', 'IsPre 1'));
    expect(relayed).toContain(seedAp('Image transfer completed from WLC'));
    expect(relayed).toContain(seedAp('Script called with args:[PREDOWNLOAD]'));

    expect((await harness.instance.api.activate(ADMIN)).status).toBe(202);
    await waitFor(
      'stage Completed',
      () => upgrade(harness!),
      (u) => u.stage === 'Completed' || u.stage === 'Failed',
      30_000,
    );
    expect(upgrade(harness).stage).toBe('Completed');
    expect(upgrade(harness).controllerVersion).toBe(DEMO_BUNDLE_CONTROLLER_VERSION);
    for (const ap of report(harness).aps) {
      expect(ap.predownloadStatus).toBe('Joined');
      expect(ap.primaryImage).toBe(DEMO_BUNDLE_VERSION);
      expect(ap.backupImage).toBe('17.9.4.27');
      expect(ap.connected).toBe(true);
    }
    expect(fleet.agents.every((agent) => agent.images.primaryVersion === DEMO_BUNDLE_VERSION)).toBe(true);
  });

  it('shows the fetch from the image server as it moves, before any AP receives a byte', async () => {
    // Lock-step 512-byte blocks make a 16 MB fetch take a few seconds on loopback, as a slow WAN link would.
    harness = await startConsoleHarness({ EWC_TFTP_BLKSIZE: '512', EWC_TFTP_WINDOWSIZE: '1' });
    await harness.startFleet(DEMO_FLEET.slice(2, 3));
    const original = path.join(server.root, DEMO_IMAGE_PATH, 'ap1g8');
    const saved = `${original}.scaled`;
    fs.renameSync(original, saved);
    await writeRandomFile(original, 16 * 1024 * 1024);
    try {
      expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
      await waitFor(
        'stage Activate',
        () => upgrade(harness!),
        (u) => u.stage === 'Activate' || u.stage === 'Failed',
        60_000,
      );
      const ap1g8 = harness.browser.fetchesSeen.filter((f) => f.fileName === 'ap1g8');
      expect(ap1g8.some((f) => f.bytes > 0 && f.totalBytes === 16 * 1024 * 1024 && f.bytes < f.totalBytes)).toBe(true);
      expect(ap1g8[0].url).toBe(`tftp://127.0.0.1:${server.port}${DEMO_IMAGE_PATH}/ap1g8`);
      expect(upgrade(harness).fetches).toEqual([]);
    } finally {
      fs.rmSync(original, { force: true });
      fs.renameSync(saved, original);
    }
  });

  it("ends a wrong path Failed at once with the server's reason for version.info: no retry, no other file tried, not a word about signing", async () => {
    // The signature rule of a fresh start (ask): the missing bundle must never reach the signing gate, nor be held for trust.
    harness = await startConsoleHarness({ EWC_REQUIRE_SIGNED_IMAGES: 'ask', EWC_RETRY_BASE_MS: '300' });
    await harness.startFleet(DEMO_FLEET.slice(1, 4));
    expect((await harness.instance.api.startDownload(profile({ imagePath: '/Wrong-Path' }), ADMIN)).status).toBe(202);

    const reason = `Failed to download file tftp://127.0.0.1:${server.port}/Wrong-Path/version.info: No such file or directory`;
    const ended = await waitFor(
      'stage Failed',
      () => upgrade(harness!),
      (u) => u.stage === 'Failed',
      20_000,
    );
    // The bar shows where it stopped, and the panel says why.
    expect(ended).toMatchObject({ lastBarStage: 'Initiate', targetVersion: null });
    expect(ended.message).toContain(reason);
    // Every AP of the run says why in its row, with no retry against a bundle that is not there.
    for (const ap of report(harness).aps) expect(ap).toMatchObject({ predownloadStatus: 'Failed', lastError: reason, retryCount: 0, nextRetryTime: null });
    expect(report(harness).summary).toMatchObject({ failedToPredownload: 3, predownloadInProgress: false });

    const lines = (harness.instance.api.getSyslog().body as { text: string }[]).map((l) => l.text);
    // The seed's wrong-path lines, word for word. Differs: the time, the server's address (with its port), and the file: here
    // the first one asked for, version.info (the seed's EWC asked for an AP image first).
    const shown = shownSyslog(harness);
    const differs = { '172.16.5.27': `127.0.0.1:${server.port}`, '/Wrong-Path/ap1g6': '/Wrong-Path/version.info' };
    // Seed: *Feb 1 20:52:11.894: %INSTALL-5-INSTALL_START_INFO: Chassis 1 R0/0: install_engine: Started install add tftp://172.16.5.27/Wrong-Path/ap1g6
    const started = shown.filter((line) => line.includes('Started install add'));
    expect(started).toEqual([seedSyslogLineAs(seedLine('Started install add tftp://172.16.5.27/Wrong-Path/ap1g6'), started[0], differs)]);
    // Seed: *Feb 1 20:52:13.977: %INSTALL-3-OPERATION_ERROR_MESSAGE: Chassis 1 R0/0: install_engine: Failed to install_add package tftp://172.16.5.27/Wrong-Path/ap1g6, Error: Failed to download file tftp://172.16.5.27/Wrong-Path/ap1g6: No such file or directory
    const failed = shown.filter((line) => line.includes('Failed to install_add'));
    expect(failed).toEqual([seedSyslogLineAs(seedLine('Failed to install_add package tftp://172.16.5.27/Wrong-Path/ap1g6'), failed[0], differs)]);
    // Seed: *Feb 1 20:52:08.742: %CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN: Chassis 1 R0/0: wncd: AP Event: AP Name: AP-9117 Mac: 0cd0.f897.ade0 Session-IP: 172.16.4.34[5248] 172.16.4.26[5246] Disjoined Image Download Failed
    // Differs: the time and the session's two ends (the AP's address and port as the AP port sees them, the controller's AP port).
    const disjoined = shown.filter((line) => line.includes('AP Name: AP-9117 ') && line.includes('Disjoined'));
    expect(disjoined).toHaveLength(1);
    const apPort = /Session-IP: 127\.0\.0\.1\[(\d+)\] /.exec(disjoined[0])?.[1];
    expect(disjoined[0]).toBe(seedSyslogLineAs(seedLine('20:52:08.742'), disjoined[0], { '172.16.4.34[5248]': `127.0.0.1[${apPort}]`, '172.16.4.26[5246]': `127.0.0.1[${capwapPort(harness)}]` }));
    expect(shown[shown.indexOf(disjoined[0]) + 1]).toContain(`: wncd: AP Event: AP Name: AP-9117 Mac: 0cd0.f897.ade0 Image Predownload Failed: ${reason}`);
    expect(lines.filter((line) => /signing|signature|SIGNED/.test(line))).toEqual([]);
    expect(lines.filter((line) => line.includes('/Wrong-Path/') && !line.includes('/Wrong-Path/version.info'))).toEqual([]);
    // The history says the same: Failed, ended, with the reason and its failed APs.
    const [entry] = (await harness.instance.api.maintenance.listUpgrades()).body as UpgradeHistoryEntry[];
    expect(entry).toMatchObject({ stage: 'Failed', failedAps: 3 });
    expect(entry.finishedAt).not.toBeNull();
    expect(entry.message).toContain(reason);
    const detail = (await harness.instance.api.maintenance.getUpgrade(String(entry.id))).body as UpgradeHistoryDetail;
    expect(detail.failures.filter((line) => /signing|signature|SIGNED/.test(line.text))).toEqual([]);
    expect((await harness.instance.api.activate(ADMIN)).status).toBe(409);
  });

  it('says Timed out when the image server does not answer', async () => {
    harness = await startConsoleHarness({ EWC_TFTP_TIMEOUT_MS: '200', EWC_TFTP_RETRIES: '1' });
    await harness.startFleet(DEMO_FLEET.slice(3, 4));
    const silentPort = await freeUdpPort();
    expect((await harness.instance.api.startDownload(profile({ port: silentPort }), ADMIN)).status).toBe(202);
    await waitFor(
      'stage Failed',
      () => upgrade(harness!),
      (u) => u.stage === 'Failed',
      20_000,
    );
    // version.info cannot be read: the run ends at once, and the AP's row says why.
    expect(apNamed(harness, 'AP-9117').lastError).toBe(`Failed to download file tftp://127.0.0.1:${silentPort}${DEMO_IMAGE_PATH}/version.info: Timed out`);
    expect(upgrade(harness).message).toContain('Timed out');
    // The seed's timeout lines, word for word. Differs: the time, the server's address (with its port) and the file's path.
    const shown = shownSyslog(harness);
    const differs = { '172.16.5.199': `127.0.0.1:${silentPort}`, '/EWC/17_9_4a/ap1g6': `${DEMO_IMAGE_PATH}/version.info` };
    // Seed: *Feb 1 20:55:06.512: %INSTALL-5-INSTALL_START_INFO: Chassis 1 R0/0: install_engine: Started install add tftp://172.16.5.199/EWC/17_9_4a/ap1g6
    const started = shown.find((line) => line.includes('Started install add'))!;
    expect(started).toBe(seedSyslogLineAs(seedLine('Started install add tftp://172.16.5.199/EWC/17_9_4a/ap1g6'), started, differs));
    // Seed: *Feb 1 20:55:46.579: %INSTALL-3-OPERATION_ERROR_MESSAGE: Chassis 1 R0/0: install_engine: Failed to install_add package tftp://172.16.5.199/EWC/17_9_4a/ap1g6, Error: Failed to download file tftp://172.16.5.199/EWC/17_9_4a/ap1g6: Timed out
    const failed = shown.find((line) => line.includes('Failed to install_add'))!;
    expect(failed).toBe(seedSyslogLineAs(seedLine('17_9_4a/ap1g6: Timed out'), failed, differs));
    // Seed: *Feb 1 20:55:03.359: %CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN: Chassis 1 R0/0: wncd: AP Event: AP Name: AP-9117 Mac: 0cd0.f897.ade0 Session-IP: 172.16.4.34[5248] 172.16.4.26[5246] Disjoined Image Download Failed
    // Differs: the time and the session's two ends.
    const disjoined = shown.find((line) => line.includes('Disjoined'))!;
    const apPort = /Session-IP: 127\.0\.0\.1\[(\d+)\] /.exec(disjoined)?.[1];
    expect(disjoined).toBe(seedSyslogLineAs(seedLine('20:55:03.359'), disjoined, { '172.16.4.34[5248]': `127.0.0.1[${apPort}]`, '172.16.4.26[5246]': `127.0.0.1[${capwapPort(harness)}]` }));
  });

  it('cancels a predownload: transfers stop, partial files are removed, the profile stays saved', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet(DEMO_FLEET.slice(0, 3), 1500);
    expect((await harness.instance.api.startDownload(profile({ parallelMode: true }), ADMIN)).status).toBe(202);
    await waitFor(
      'a transfer under way',
      () => report(harness!).aps,
      (aps) => aps.some((ap) => ap.predownloadStatus === 'Predownloading' && ap.percent > 0),
      20_000,
    );

    expect((await harness.instance.api.cancel(ADMIN)).status).toBe(202);
    expect(upgrade(harness).stage).toBe('Cancelled');
    expect(report(harness).aps.every((ap) => ap.predownloadStatus === 'Aborted')).toBe(true);
    const fleetDir = path.join(harness.config.dataDir, 'fleet');
    await waitFor(
      'partial files removed',
      () => fs.readdirSync(fleetDir).flatMap((d) => fs.readdirSync(path.join(fleetDir, d))),
      (files) => !files.some((f) => f.endsWith('.part')),
      5000,
    );
    expect(harness.instance.api.getProfile().body).toMatchObject({ imagePath: DEMO_IMAGE_PATH, parallelMode: true });
    expect((await harness.instance.api.cancel(ADMIN)).status).toBe(409);
  });

  it('resumes an AP that dropped mid-transfer from the bytes it had written, and counts the retry', async () => {
    harness = await startConsoleHarness({ EWC_RETRY_BASE_MS: '300' });
    const fleet = await harness.startFleet(DEMO_FLEET.slice(2, 3), 1500);
    const agent = fleet.agents[0];
    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    await waitFor(
      'a third of the image acknowledged',
      () => apNamed(harness!, '9105-emorenoa'),
      (ap) => ap.percent > 30,
      20_000,
    );
    await agent.stop();
    await waitFor(
      'the AP failed with a retry pending',
      () => apNamed(harness!, '9105-emorenoa'),
      (ap) => ap.predownloadStatus === 'Failed' && ap.nextRetryTime !== null,
      10_000,
    );
    await agent.start();

    await waitFor(
      'stage Activate',
      () => upgrade(harness!),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      30_000,
    );
    expect(apNamed(harness, '9105-emorenoa')).toMatchObject({ predownloadStatus: 'Complete', retryCount: 1 });
    const lines = (harness.instance.api.getSyslog().body as { text: string }[]).map((l) => l.text);
    const resumed = lines.map((l) => /9105-emorenoa: Image Data Request sent to 127\.0\.0\.1, fileName \[ap1g8\], resuming at (\d+)/.exec(l)).find(Boolean);
    expect(Number(resumed?.[1])).toBeGreaterThan(0);
    const agentDir = apStorageDir(path.join(harness.config.dataDir, 'fleet'), DEMO_FLEET[2].mac);
    expect(await sha256OfFile(path.join(agentDir, 'ap-backup.img'))).toBe(await sha256OfFile(path.join(server.root, DEMO_IMAGE_PATH, 'ap1g8')));
  });

  it('refuses a predownload to an AP without the space for the image (PRECHECK) and does not retry it', async () => {
    harness = await startConsoleHarness({ EWC_RETRY_BASE_MS: '200' });
    await harness.startFleet([{ ...DEMO_FLEET[2], freeSpaceKb: 100 }]);
    await harness.instance.api.startDownload(profile(), ADMIN);
    await waitFor(
      'stage Failed',
      () => upgrade(harness!),
      (u) => u.stage === 'Failed',
      20_000,
    );
    const ap = apNamed(harness, '9105-emorenoa');
    expect(ap.lastError).toMatch(/^PRECHECK failed: upgrade.sh: \/tmp space: NOT OK available 100, required \d+$/);
    expect(ap.retryCount).toBe(0);
    expect(ap.nextRetryTime).toBeNull();
  });

  it('marks an AP whose image type is not in the bundle Not Supported', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet([DEMO_FLEET[2], { ...DEMO_FLEET[0], name: 'AP-OLD-1700', mac: '00aa.bbcc.0001', model: 'AIR-CAP1702I-B-K9', imageType: 'ap1g3' }]);
    await harness.instance.api.startDownload(profile(), ADMIN);
    await waitFor(
      'stage Activate',
      () => upgrade(harness!),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      20_000,
    );
    expect(apNamed(harness, 'AP-OLD-1700').predownloadStatus).toBe('NotSupported');
    expect(report(harness).summary.notSupported).toBe(1);
    expect(upgrade(harness).stage).toBe('Activate');
  });
});

describe('image download profile at the API boundary', () => {
  it('rejects bad input field by field with a 400 and keeps the saved profile', async () => {
    harness = await startConsoleHarness();
    const api = harness.instance.api;
    expect((await api.saveProfile(profile(), ADMIN)).status).toBe(200);

    const bad = await api.saveProfile(profile({ imageServer: 'not a host!', imagePath: '  ', port: 70000 }), ADMIN);
    expect(bad.status).toBe(400);
    const paths = (bad.body as { issues: { path: string; message: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['imageServer', 'imagePath', 'port']));
    expect((await api.startDownload(profile({ port: 0 }), ADMIN)).status).toBe(400);
    expect((await api.saveProfile('{', ADMIN)).status).toBe(400);
    expect(api.getProfile().body).toMatchObject({ imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port });
  });

  it('stores the SFTP password without ever returning it, and keeps it when the field is left empty', async () => {
    harness = await startConsoleHarness();
    const api = harness.instance.api;
    const secret = 'S3cret-pass!';
    const saved = await api.saveProfile(profile({ mode: 'SFTP', port: 22, sftp: { username: 'calo', passwordType: 'UNENCRYPTED', password: secret } }), ADMIN);
    expect(saved.status).toBe(200);
    expect(JSON.stringify(saved.body)).not.toContain(secret);
    expect(saved.body).toMatchObject({ sftp: { username: 'calo', hasPassword: true } });
    const again = await api.saveProfile(profile({ mode: 'SFTP', port: 22, sftp: { username: 'calo', passwordType: 'UNENCRYPTED', password: '' } }), ADMIN);
    expect(again.body).toMatchObject({ sftp: { hasPassword: true } });
    expect((await api.saveProfile(profile({ mode: 'SFTP', port: 22, sftp: { username: '', passwordType: 'UNENCRYPTED' } }), ADMIN)).status).toBe(400);
  });

  it('keeps the profile and the AP image state across a restart', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet(DEMO_FLEET.slice(2, 3));
    await harness.instance.api.startDownload(profile({ parallelMode: true }), ADMIN);
    await waitFor(
      'stage Activate',
      () => upgrade(harness!),
      (u) => u.stage === 'Activate',
      20_000,
    );
    const dataDir = harness.config.dataDir;
    await harness.stop();

    harness = await startConsoleHarness({}, dataDir);
    expect(harness.instance.api.getProfile().body).toMatchObject({ parallelMode: true, port: server.port });
    const ap = report(harness).aps[0];
    expect(ap).toMatchObject({ name: '9105-emorenoa', predownloadStatus: 'Complete', backupImage: DEMO_BUNDLE_VERSION, connected: false });
    expect(upgrade(harness).stage).toBe('Activate');
  });
});
