import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { syslogLineText, type SyslogLine } from '../../lib/syslog';
import type { HostKeyChallengeBody, ImageDownloadProfileView } from '../../lib/imageDownloadProfile';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startOpenSshServer, type OpenSshServer } from '../sim/testing/opensshServer';
import { seedLine, seedSyslogLineAs } from '../sim/testing/seedText';
import { writeRandomFile } from '../sim/testing/tftpdHpa';
import { apStorageDir } from '../sim/ap/apStorage';

// Debian's OpenSSH on a loopback port, logging in a real test user whose home holds the bundle,
// as in the seed document (Documents/sftp_files…/EWC/…, relative to the login directory).
let sshd: OpenSshServer;
let bundleDir: string;
// A folder of this process's own: several checkouts may run these tests against the one test user at once.
const BUNDLE_ROOT = `Documents/sftp_files_${process.pid}`;
const IMAGE_PATH = `${BUNDLE_ROOT}${DEMO_IMAGE_PATH}`;
const BIG_AP1G8 = 120 * 1024 * 1024;

beforeAll(async () => {
  sshd = await startOpenSshServer({ user: 'ewcsftp' });
  const root = path.join(sshd.home, BUNDLE_ROOT);
  fs.rmSync(root, { recursive: true, force: true });
  ensureDemoBundle(root, 'scaled');
  bundleDir = path.join(root, DEMO_IMAGE_PATH);
  fs.chmodSync(sshd.home, 0o755);
});

afterAll(async () => {
  if (sshd) fs.rmSync(path.join(sshd.home, BUNDLE_ROOT), { recursive: true, force: true });
  await sshd?.dispose();
});

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

function sftpProfile(overrides: { imagePath?: string; password?: string; hostKeyFingerprint?: string } = {}) {
  return {
    mode: 'SFTP',
    imageServer: '127.0.0.1',
    imagePath: overrides.imagePath ?? IMAGE_PATH,
    port: sshd.port,
    parallelMode: true,
    sftp: { username: sshd.user, passwordType: 'UNENCRYPTED', password: overrides.password ?? sshd.password, hostKeyFingerprint: overrides.hostKeyFingerprint ?? sshd.hostKeyFingerprint },
  };
}

const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const upgrade = (h: ConsoleHarness) => h.instance.orchestrator.view();
const apNamed = (h: ConsoleHarness, name: string) => report(h).aps.find((ap) => ap.name === name)!;
const url = (file: string, imagePath = IMAGE_PATH) => `sftp://*****@127.0.0.1:${sshd.port}/${imagePath}/${file}`;
/** The log as `show logging` prints it. */
const shownSyslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map(syslogLineText);
// The seed's copies mask the SFTP user as `******` (English, Chinese) or `*****` (Spanish, French); the console writes five.
const SEED_SERVER = 'sftp://******@172.16.5.62';
const consoleServer = () => `sftp://*****@127.0.0.1:${sshd.port}`;

describe('predownload over SFTP from OpenSSH', () => {
  it('asks to trust the host key first, then delivers byte-exact without the password ever leaving the server', async () => {
    harness = await startConsoleHarness();
    const messages: string[] = [];
    harness.browser.socket.onAny((event, payload) => messages.push(`${event} ${JSON.stringify(payload)}`));
    await harness.startFleet(DEMO_FLEET.slice(0, 3));
    const api = harness.instance.api;

    const challenge = await api.startDownload(sftpProfile({ hostKeyFingerprint: '' }), ADMIN);
    expect(challenge.status).toBe(409);
    expect((challenge.body as HostKeyChallengeBody).hostKey).toMatchObject({ fingerprint: sshd.hostKeyFingerprint, port: sshd.port });
    expect(upgrade(harness).stage).toBe('Idle');

    expect((await api.startDownload(sftpProfile(), ADMIN)).status).toBe(202);
    await waitFor(
      'stage Activate',
      () => upgrade(harness!),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(upgrade(harness).stage).toBe('Activate');
    for (const ap of DEMO_FLEET.slice(0, 3)) {
      const agentDir = apStorageDir(path.join(harness.config.dataDir, 'fleet'), ap.mac);
      expect(await sha256OfFile(path.join(agentDir, 'ap-backup.img'))).toBe(await sha256OfFile(path.join(bundleDir, ap.imageType)));
      expect(apNamed(harness, ap.name)).toMatchObject({ predownloadStatus: 'Complete', backupImage: DEMO_BUNDLE_VERSION });
    }

    // Seed: *Feb 1 17:05:37.108: %INSTALL-5-INSTALL_COMPLETED_INFO: Chassis 1 R0/0: install_engine: Completed install add sftp://******@172.16.5.62/Documents/sftp_files/EWC_17_9_4a/ap3g3
    // Differs: the time, the server's address (with its port, and the mask's length) and the bundle's folder.
    const completed = shownSyslog(harness).find((line) => line.endsWith(`Completed install add ${url('ap3g3')}`))!;
    expect(completed).toBe(seedSyslogLineAs(seedLine('Completed install add'), completed, { [SEED_SERVER]: consoleServer(), 'Documents/sftp_files/EWC_17_9_4a': IMAGE_PATH }));

    const profile = api.getProfile().body as ImageDownloadProfileView;
    expect(profile.sftp).toMatchObject({ hasPassword: true, hostKeyFingerprint: sshd.hostKeyFingerprint });
    const everythingSent = [
      JSON.stringify(profile),
      JSON.stringify(api.getApImage().body),
      JSON.stringify(api.getSyslog().body),
      JSON.stringify(api.getUpgrade().body),
      String(api.exportConfig().body),
      ...messages,
    ].join('\n');
    expect(everythingSent).toContain(`sftp://*****@127.0.0.1:${sshd.port}/`);
    expect(everythingSent).not.toContain(sshd.password);
    expect(everythingSent).not.toContain(`${sshd.user}@`);
    // At rest too: the database file holds the password sealed, not in clear.
    expect(fs.readFileSync(path.join(harness.config.dataDir, 'ewc.sqlite')).includes(sshd.password)).toBe(false);
  });

  it('takes back the AES password that Export configuration gives, and refuses one it did not seal', async () => {
    harness = await startConsoleHarness();
    const api = harness.instance.api;
    expect((await api.saveProfile(sftpProfile(), ADMIN)).status).toBe(200);
    const exported = String(api.exportConfig().body);
    const aes = /^ sftp-password aes (\S+)$/m.exec(exported)?.[1];
    expect(aes).toMatch(/^v1:/);
    expect(exported).not.toContain(sshd.password);

    // A fresh console with the same secret key file restores the password from its AES form.
    const dataDir = harness.config.dataDir;
    fs.rmSync(path.join(dataDir, 'ewc.sqlite'));
    for (const suffix of ['-wal', '-shm']) fs.rmSync(path.join(dataDir, `ewc.sqlite${suffix}`), { force: true });
    await harness.stop();
    harness = await startConsoleHarness({}, dataDir);
    await harness.startFleet(DEMO_FLEET.slice(2, 3));
    const restored = { ...sftpProfile(), sftp: { ...sftpProfile().sftp, passwordType: 'AES', password: aes } };
    expect((await harness.instance.api.startDownload(restored, ADMIN)).status).toBe(202);
    await waitFor(
      'stage Activate',
      () => upgrade(harness!),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      30_000,
    );
    expect(upgrade(harness).stage).toBe('Activate');

    const forged = await harness.instance.api.saveProfile({ ...restored, sftp: { ...restored.sftp, password: 'v1:bm90IHNlYWxlZCBieSB0aGlzIGNvbnNvbGU=' } }, ADMIN);
    expect(forged.status).toBe(400);
    expect((forged.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['sftp.password']);
  });

  it('logs in with a private key pasted into the profile, and refuses text that is not a key', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet(DEMO_FLEET.slice(2, 3));
    const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-key-'));
    try {
      const keyFile = path.join(keyDir, 'id_ed25519');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'key-passphrase', '-C', 'ewc-console', '-f', keyFile]);
      fs.appendFileSync(sshd.authorizedKeysPath, fs.readFileSync(`${keyFile}.pub`));
      const keyProfile = (privateKey: string, passphrase: string) => ({
        ...sftpProfile(),
        sftp: { username: sshd.user, passwordType: 'UNENCRYPTED', authMethod: 'key', privateKey, passphrase, hostKeyFingerprint: sshd.hostKeyFingerprint },
      });
      const privateKey = fs.readFileSync(keyFile, 'utf8');

      const wrongPassphrase = await harness.instance.api.saveProfile(keyProfile(privateKey, 'nope'), ADMIN);
      expect(wrongPassphrase.status).toBe(400);
      expect((wrongPassphrase.body as { issues: { path: string }[] }).issues[0].path).toBe('sftp.passphrase');
      const notAKey = await harness.instance.api.saveProfile(keyProfile('hello', ''), ADMIN);
      expect((notAKey.body as { issues: { path: string }[] }).issues[0].path).toBe('sftp.privateKey');

      expect((await harness.instance.api.startDownload(keyProfile(privateKey, 'key-passphrase'), ADMIN)).status).toBe(202);
      await waitFor(
        'stage Activate',
        () => upgrade(harness!),
        (u) => u.stage === 'Activate' || u.stage === 'Failed',
        30_000,
      );
      expect(upgrade(harness).stage).toBe('Activate');
      const view = harness.instance.api.getProfile().body as ImageDownloadProfileView;
      expect(view.sftp).toMatchObject({ authMethod: 'key', hasPrivateKey: true });
      expect(JSON.stringify(view)).not.toContain('PRIVATE KEY');
    } finally {
      fs.rmSync(keyDir, { recursive: true, force: true });
    }
  });

  it('reports a wrong path with the masked URL, as the EWC syslog does, and ends the run at once', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet(DEMO_FLEET.slice(3, 4));
    await harness.instance.api.startDownload(sftpProfile({ imagePath: 'Documents/Wrong-Path' }), ADMIN);
    await waitFor(
      'stage Failed',
      () => upgrade(harness!),
      (u) => u.stage === 'Failed',
      30_000,
    );
    expect(apNamed(harness, 'AP-9117')).toMatchObject({ lastError: `Failed to download file ${url('version.info', 'Documents/Wrong-Path')}: No such file or directory`, nextRetryTime: null });
    // The seed's SFTP wrong-path lines, word for word. Differs: the time, the server's address (with its port, and the mask's
    // length), and the file: here the first one asked for, version.info (the seed's EWC asked for an AP image first).
    const shown = shownSyslog(harness);
    const differs = { [SEED_SERVER]: consoleServer(), 'Wrong-Path/ap1g6': 'Wrong-Path/version.info' };
    // Seed: *Feb 1 20:29:17.325: %INSTALL-5-INSTALL_START_INFO: Chassis 1 R0/0: install_engine: Started install add sftp://******@172.16.5.62/Documents/Wrong-Path/ap1g6
    const started = shown.find((line) => line.includes('Started install add'))!;
    expect(started).toBe(seedSyslogLineAs(seedLine('Started install add sftp://'), started, differs));
    // Seed: *Feb 1 20:29:25.730: %INSTALL-3-OPERATION_ERROR_MESSAGE: Chassis 1 R0/0: install_engine: Failed to install_add package sftp://******@172.16.5.62/Documents/Wrong-Path/ap1g6, Error: Failed to download file sftp://******@172.16.5.62/Documents/Wrong-Path/ap1g6: No such file or directory
    const failed = shown.find((line) => line.includes('Failed to install_add'))!;
    expect(failed).toBe(seedSyslogLineAs(seedLine('Failed to install_add package sftp://'), failed, differs));
    // Seed: *Feb 1 20:29:14.108: %CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN: Chassis 1 R0/0: wncd: AP Event: AP Name: AP-9117 Mac: 0cd0.f897.ade0 Session-IP: 172.16.4.34[5248] 172.16.4.26[5246] Disjoined Image Download Failed
    // Differs: the time and the session's two ends (the AP's address and port as the AP port sees them, the controller's AP port).
    const disjoined = shown.find((line) => line.includes('Disjoined'))!;
    const apPort = /Session-IP: 127\.0\.0\.1\[(\d+)\] /.exec(disjoined)?.[1];
    expect(disjoined).toBe(
      seedSyslogLineAs(seedLine('20:29:14.108'), disjoined, { '172.16.4.34[5248]': `127.0.0.1[${apPort}]`, '172.16.4.26[5246]': `127.0.0.1[${new URL(harness.capwapUrl).port}]` }),
    );
  });

  it('stops after one refused login instead of locking the account, and the rows say why', async () => {
    harness = await startConsoleHarness({ EWC_RETRY_BASE_MS: '200' });
    await harness.startFleet(DEMO_FLEET.slice(0, 3));
    const logBefore = sshd.log().split('Failed password').length;
    await harness.instance.api.startDownload(sftpProfile({ password: 'wrong-password' }), ADMIN);
    await waitFor(
      'stage Failed',
      () => upgrade(harness!),
      (u) => u.stage === 'Failed',
      30_000,
    );
    for (const ap of report(harness).aps) {
      expect(ap.lastError).toMatch(/^Failed to download file sftp:\/\/\*\*\*\*\*@127\.0\.0\.1:\d+\/.+: Authentication failed$/);
      expect(ap.retryCount).toBe(0);
      expect(ap.nextRetryTime).toBeNull();
    }
    const failedLogins = sshd.log().split('Failed password').length - logBefore;
    expect(failedLogins).toBe(1);
  });

  it('refuses a server whose host key changed and downloads nothing', async () => {
    harness = await startConsoleHarness({ EWC_MAX_RETRIES: '0' });
    await harness.startFleet(DEMO_FLEET.slice(2, 3));
    const otherKey = 'SHA256:' + 'A'.repeat(43);
    await harness.instance.api.startDownload(sftpProfile({ hostKeyFingerprint: otherKey }), ADMIN);
    await waitFor(
      'stage Failed',
      () => upgrade(harness!),
      (u) => u.stage === 'Failed',
      30_000,
    );
    // The first file asked for is version.info: the run ends there, with the reason.
    expect(apNamed(harness, '9105-emorenoa').lastError).toBe(`Failed to download file ${url('version.info')}: Host key changed: expected ${otherKey}, got ${sshd.hostKeyFingerprint}`);
    const cache = path.join(harness.config.dataDir, 'image-cache');
    const cached = fs.existsSync(cache) ? fs.readdirSync(cache, { recursive: true }).filter((f) => String(f).includes('ap1g8')) : [];
    expect(cached.filter((f) => fs.statSync(path.join(cache, String(f))).size > 0)).toEqual([]);
  });

  it('says permission denied for a file the SFTP user cannot read', async () => {
    harness = await startConsoleHarness({ EWC_MAX_RETRIES: '0' });
    await harness.startFleet(DEMO_FLEET.slice(2, 3));
    fs.chmodSync(path.join(bundleDir, 'ap1g8'), 0o000);
    try {
      await harness.instance.api.startDownload(sftpProfile(), ADMIN);
      await waitFor(
        'stage Failed',
        () => upgrade(harness!),
        (u) => u.stage === 'Failed',
        30_000,
      );
      expect(apNamed(harness, '9105-emorenoa').lastError).toBe(`Failed to download file ${url('ap1g8')}: Permission denied`);
    } finally {
      fs.chmodSync(path.join(bundleDir, 'ap1g8'), 0o644);
    }
  });

  it('resumes a download cut by a server crash from the bytes already fetched, and counts the retry', async () => {
    harness = await startConsoleHarness({ EWC_RETRY_BASE_MS: '1500', EWC_SFTP_TIMEOUT_MS: '3000' });
    await harness.startFleet(DEMO_FLEET.slice(2, 3));
    const original = path.join(bundleDir, 'ap1g8');
    const saved = `${original}.scaled`;
    fs.renameSync(original, saved);
    await writeRandomFile(original, BIG_AP1G8);
    fs.chmodSync(original, 0o644);
    try {
      await harness.instance.api.startDownload(sftpProfile(), ADMIN);
      // The cache downloads into `ap1g8.part` (renamed when complete), which is what grows while the transfer runs.
      const cached = path.join(harness.config.dataDir, 'image-cache', `upgrade-${upgrade(harness).upgradeId}`, 'ap1g8.part');
      const size = () => (fs.existsSync(cached) ? fs.statSync(cached).size : 0);
      await waitFor('the transfer to start', size, (bytes) => bytes > 0, 20_000);
      sshd.freeze();
      const partial = size();
      expect(partial).toBeLessThan(BIG_AP1G8);
      await sshd.stop();
      await waitFor(
        'the AP to fail and wait for a retry',
        () => apNamed(harness!, '9105-emorenoa'),
        (ap) => ap.predownloadStatus === 'Failed',
        20_000,
      );
      await sshd.restart();

      await waitFor(
        'stage Activate',
        () => upgrade(harness!),
        (u) => u.stage === 'Activate' || u.stage === 'Failed',
        60_000,
      );
      const ap = apNamed(harness, '9105-emorenoa');
      expect(ap).toMatchObject({ predownloadStatus: 'Complete', retryCount: 1 });
      // The line after `Completed install add` says where the fetch resumed.
      const lines = (harness.instance.api.getSyslog().body as { text: string }[]).map((l) => l.text);
      const completed = lines.indexOf(`Chassis 1 R0/0: install_engine: Completed install add ${url('ap1g8')}`);
      expect(lines[completed + 1]).toContain(`Image fetched: ${url('ap1g8')}: `);
      expect(lines[completed + 1]).toMatch(/resumed at byte [1-9]\d*/);
      const agentDir = apStorageDir(path.join(harness.config.dataDir, 'fleet'), DEMO_FLEET[2].mac);
      expect(await sha256OfFile(path.join(agentDir, 'ap-backup.img'))).toBe(await sha256OfFile(original));
    } finally {
      sshd.thaw();
      fs.rmSync(original, { force: true });
      fs.renameSync(saved, original);
    }
  });
});
