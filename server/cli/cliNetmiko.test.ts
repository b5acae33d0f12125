import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApImageReport } from '../../lib/apImage';
import type { ImageDownloadProfileView } from '../../lib/imageDownloadProfile';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { startConsoleHarness, TEST_ADMIN_PASSWORD, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { seedLine, seedSyslogLineAs } from '../sim/testing/seedText';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';

const run = promisify(execFile);
const SCRIPT = path.join(import.meta.dirname, '..', 'sim', 'testing', 'netmikoUpgrade.py');

// What the Python script prints: each step's answer as Netmiko returned it.
const netmikoResult = z.object({
  prompt: z.string(),
  config: z.string(),
  promptAfterConfig: z.string(),
  predownload: z.string(),
  showApImage: z.string(),
  polls: z.number(),
  include: z.string(),
  invalid: z.string(),
  save: z.string(),
  runningConfig: z.string(),
  version: z.string(),
  summary: z.string(),
  logging: z.string(),
  swap: z.string(),
  reset: z.string(),
  afterReset: z.string(),
});

let serverRoot: string;
let tftpd: { port: number; stop(): Promise<void> };
let harness: ConsoleHarness;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-cli-bundle-'));
  ensureDemoBundle(serverRoot, 'scaled');
  tftpd = await startTftpdHpa({ root: serverRoot });
  harness = await startConsoleHarness();
  await harness.startFleet(DEMO_FLEET);
});

afterAll(async () => {
  await harness?.dispose();
  await tftpd?.stop();
  fs.rmSync(serverRoot, { recursive: true, force: true });
});

describe('the CLI driven by Netmiko (Debian python3-netmiko, cisco_ios driver)', () => {
  it('configures the profile, predownloads, polls show ap image until every AP is Complete, saves, then swaps and resets', async () => {
    const profilesSeen: ImageDownloadProfileView[] = [];
    harness.browser.socket.on('profile:updated', (profile) => profilesSeen.push(profile));
    const port = await harness.instance.cli.listening;
    const { stdout } = await run('/usr/bin/python3', [SCRIPT, '127.0.0.1', String(port), 'admin', TEST_ADMIN_PASSWORD, '127.0.0.1', String(tftpd.port), DEMO_IMAGE_PATH], {
      timeout: 120_000,
    });
    const result = netmikoResult.parse(JSON.parse(stdout));

    expect(result.prompt).toBe('9120-EWC#');
    expect(result.config).toContain('9120-EWC(config)#');
    expect(result.config).toContain('9120-EWC(config-wireless-image-download-profile)#');
    expect(result.config).toContain('9120-EWC(config-wireless-image-download-profile-tftp)#');
    expect(result.config).not.toContain('% ');
    expect(result.promptAfterConfig).toBe('9120-EWC#');
    expect(result.predownload).toMatch(/^AP image predownload started \(upgrade \d+\)/);

    // The seed's layout, and every AP Complete on the new backup image.
    const lines = result.showApImage.split('\n');
    expect(lines[0]).toBe(`Total number of APs  : ${DEMO_FLEET.length}`);
    expect(lines).toContain(`        Completed predownloading   : ${DEMO_FLEET.length}`);
    expect(lines).toContain('        Predownload in progress    : No');
    // Listed as the controller lists them, by MAC: the seed's three (AP-POD-2-2, AP6C41.0E16.E79C, 9105-emorenoa) in the seed's order.
    const rule = lines.findIndex((l) => l.startsWith('-----'));
    const byMac = [...DEMO_FLEET].sort((a, b) => (a.mac < b.mac ? -1 : 1)).map((ap) => ap.name);
    expect(
      lines
        .slice(rule + 1)
        .filter((l) => l.trim())
        .map((l) => l.split(' ')[0]),
    ).toEqual(byMac);
    expect(lines.find((l) => l.startsWith('AP Name'))!.split(/\s{2,}/)).toEqual([
      'AP Name',
      'Primary Image',
      'Backup Image',
      'Predownload Status',
      'Predownload Version',
      'Next Retry Time',
      'Retry Count',
      'Method',
    ]);
    for (const ap of DEMO_FLEET) {
      const row = lines.find((l) => l.startsWith(`${ap.name} `))!;
      expect(row.split(/\s+/)).toEqual([ap.name, '17.9.4.27', DEMO_BUNDLE_VERSION, 'Complete', DEMO_BUNDLE_VERSION, '0', '0', 'CAPWAP']);
    }
    expect(result.include.split('\n')).toHaveLength(DEMO_FLEET.length);
    expect(result.invalid).toContain("% Invalid input detected at '^' marker.");
    expect(result.save).toContain('[OK]');
    expect(result.runningConfig).toContain('hostname 9120-EWC');
    expect(result.runningConfig).toContain(` tftp-image-port ${tftpd.port}`);
    expect(result.version).toMatch(/^Cisco IOS XE Software, Version 17\.09\.04a/m);
    expect(result.version).toMatch(/^9120-EWC uptime is /m);
    expect(result.summary).toMatch(new RegExp(`^Number of APs: ${DEMO_FLEET.length}$`, 'm'));
    expect(result.summary).toMatch(/^AP6C41\.0E16\.E79C +C9120AXI-B +6c41\.0e16\.e79c +ap1g7 +\S+ +Registered$/m);
    // The console's syslog, in the EWC's words: each image type fetched once.
    const completed = result.logging.split('\n').filter((l) => l.includes('%INSTALL-5-INSTALL_COMPLETED_INFO: Chassis 1 R0/0: install_engine: Completed install add tftp://'));
    expect(completed.length).toBeGreaterThanOrEqual(new Set(DEMO_FLEET.map((ap) => ap.imageType)).size);
    // Seed: *Feb 1 17:05:37.108: %INSTALL-5-INSTALL_COMPLETED_INFO: Chassis 1 R0/0: install_engine: Completed install add sftp://******@172.16.5.62/Documents/sftp_files/EWC_17_9_4a/ap3g3
    // Differs: the time and the file's URL (this server is TFTP: its address, port and path).
    const ap3g3Url = `tftp://127.0.0.1:${tftpd.port}${DEMO_IMAGE_PATH}/ap3g3`;
    const ap3g3 = completed.find((line) => line.endsWith(ap3g3Url))!;
    expect(ap3g3).toBe(seedSyslogLineAs(seedLine('Completed install add'), ap3g3, { 'sftp://******@172.16.5.62/Documents/sftp_files/EWC_17_9_4a/ap3g3': ap3g3Url }));
    expect(result.logging.split('\n').every((l) => /^\*\w{3} [ \d]\d \d\d:\d\d:\d\d\.\d{3}: %INSTALL-5-/.test(l))).toBe(true);

    // The web API and the live page agree with what the CLI did.
    const profile = harness.instance.api.getProfile().body as ImageDownloadProfileView;
    expect(profile).toMatchObject({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: false });
    expect(profilesSeen.some((p) => p.port === tftpd.port)).toBe(true);
    const audit = (await harness.instance.auth.audit.recent()).filter((e) => e.sourceAddress === '127.0.0.1 (ssh)');
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['login', 'profile.save', 'upgrade.download', 'upgrade.activate']));

    // swap then reset is the page's Activate: every AP reloads onto the predownloaded image and joins again.
    expect(result.swap).toContain(`each AP boots ${DEMO_BUNDLE_VERSION} at its next reset`);
    expect(result.reset).toContain('Resetting the APs');
    for (const ap of DEMO_FLEET) {
      const row = result.afterReset.split('\n').find((l) => l.startsWith(`${ap.name} `))!;
      expect(row.split(/\s+/).slice(0, 4)).toEqual([ap.name, DEMO_BUNDLE_VERSION, '17.9.4.27', 'Joined']);
    }
    await waitFor(
      'stage Completed',
      () => harness.instance.orchestrator.view().stage,
      (stage) => stage === 'Completed' || stage === 'Failed',
    );
    expect(harness.instance.orchestrator.view().stage).toBe('Completed');
    const report = harness.instance.api.getApImage().body as ApImageReport;
    expect(report.aps.map((ap) => [ap.name, ap.predownloadStatus, ap.primaryImage]).sort()).toEqual(DEMO_FLEET.map((ap) => [ap.name, 'Joined', DEMO_BUNDLE_VERSION]).sort());
  });
});
