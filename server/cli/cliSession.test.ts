import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { CatalogCheckResult } from '../../lib/firmwareCatalog';
import type { ImageDownloadProfileView } from '../../lib/imageDownloadProfile';
import { startTestCatalog, TEST_ACCOUNT } from '../sim/catalog/catalogTestKit';
import { startConsoleHarness, TEST_ADMIN_PASSWORD, ADMIN, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { createConsoleCliBackend } from './consoleBackend';
import { HostnameStore } from './hostname';
import { startCliServer } from './sshServer';
import { SshKeysApi } from '../http/sshKeysApi';
import { startSftpServer } from '../sim/imageServers/sftpServer';
import { SshShell, sshExec } from '../sim/testing/sshShell';
import { createUser } from '../app/users/createUser';
import { removeUser } from '../app/users/removeUser';

const { utils } = ssh2;

let harness: ConsoleHarness;
let port: number;
const shells: SshShell[] = [];
const admin = () => SshShell.open(port, { username: 'admin', password: TEST_ADMIN_PASSWORD }).then((s) => (shells.push(s), s));
const profile = () => harness.instance.api.getProfile().body as ImageDownloadProfileView;

beforeAll(async () => {
  harness = await startConsoleHarness();
  port = await harness.instance.cli.listening;
});

afterAll(async () => {
  for (const shell of shells) shell.close();
  await harness?.dispose();
});

describe('an SSH session on the CLI', () => {
  it('shows the seed prompts through the TFTP and SFTP sub-modes and saves the profile on end', async () => {
    const shell = await admin();
    await shell.waitFor(/EWC#$/);
    expect(await shell.command('conf t')).toMatch(/End with CNTL\/Z\.\r\nEWC\(config\)#$/);
    expect(await shell.command('wireless profile image-download default')).toMatch(/EWC\(config-wireless-image-download-profile\)#$/);
    expect(await shell.command('image-download-mode sftp')).toMatch(/EWC\(config-wireless-image-download-profile-sftp\)#$/);
    await shell.command('sftp-image-server 10.20.30.40');
    await shell.command('sftp-image-path Documents/sftp_files/EWC_17_12_1');
    await shell.command('sftp-username calo');
    // Ctrl-V makes the next key text: a password with a question mark, as IOS needs it typed.
    expect(await shell.command('sftp-password 0 s3cret-Pass word\x16?')).toMatch(/sftp-password 0 s3cret-Pass word\?\r\n\S+-sftp\)#$/);
    expect(await shell.command('parallel-mode')).toMatch(/-sftp\)#$/);
    const ended = await shell.command('end');
    expect(ended).toMatch(/\r\nEWC#$/);
    expect(ended).not.toContain('%');
    expect(profile()).toMatchObject({
      mode: 'SFTP',
      imageServer: '10.20.30.40',
      imagePath: 'Documents/sftp_files/EWC_17_12_1',
      port: 22,
      parallelMode: true,
      sftp: { username: 'calo', hasPassword: true },
    });

    // The running config shows the password only as the console's AES form, never in clear.
    const running = await shell.command('show running-config');
    expect(running).toMatch(/ sftp-password aes \S+/);
    expect(running).not.toContain('s3cret-Pass word');
    expect(harness.instance.api.exportConfig().body).toMatch(/ sftp-password aes \S+/);
    const audit = await harness.instance.auth.audit.exportText();
    expect(audit).toMatch(/admin@127\.0\.0\.1 \(ssh\) profile\.save /);
    expect(audit).not.toContain('s3cret');

    // The seed's TFTP lines, typed at the prompts the seed shows, and a port the page's form also has.
    await shell.command('configure terminal');
    await shell.command('wireless profile image-download default');
    expect(await shell.command('image-download-mode tftp')).toMatch(/-tftp\)#$/);
    expect(await shell.command('tftp-image-server 10.0.0.5')).toMatch(/-tftp\)#$/);
    await shell.command('tftp-image-path /EWC/17_12_1_5');
    await shell.command('no parallel-mode');
    expect(await shell.command('exit')).toMatch(/EWC\(config-wireless-image-download-profile\)#$/);
    expect(await shell.command('exit')).toMatch(/EWC\(config\)#$/);
    expect(profile()).toMatchObject({ mode: 'TFTP', imageServer: '10.0.0.5', imagePath: '/EWC/17_12_1_5', port: 69, parallelMode: false });
    expect(await shell.command('exit')).toMatch(/\r\nEWC#$/);
  });

  it('answers bad input with the IOS error lines and keeps the session', async () => {
    const shell = await admin();
    await shell.waitFor(/EWC#$/);
    // The caret sits under the offending word, counting the prompt "EWC#".
    expect(await shell.command('show ap imagex')).toContain("\r\n            ^\r\n% Invalid input detected at '^' marker.\r\n");
    expect(await shell.command('show')).toContain('% Incomplete command.');
    expect(await shell.command('c')).toContain('% Ambiguous command: "c"');
    expect(await shell.command('terminal length 9999')).toContain('% Invalid input');
    await shell.command('conf t');
    expect(await shell.command('wireless profile image-download default')).toMatch(/profile\)#$/);
    expect(await shell.command('tftp-image-port 70000')).toContain('% Invalid input');
    await shell.command('tftp-image-server not..valid');
    // The invalid server is refused when the profile is saved, with the page's field message; the saved profile is untouched.
    const ended = await shell.command('end');
    expect(ended).toContain('% Error: Image download profile not saved: Enter an IPv4 or IPv6 address or a host name (tftp.imageServer)');
    expect(ended).toMatch(/\r\nEWC#$/);
    expect(profile().tftp.imageServer).not.toBe('not..valid');

    const tooLong = await shell.command(`show ${'x'.repeat(5000)}`);
    expect(tooLong).toContain('% Command line too long: 4096 characters at most; nothing was run.');
    expect(await shell.command('show privilege')).toContain('Current privilege level is 15');
    expect(shell.closed).toBe(false);
  });

  it('gives ? help, completes with Tab, pages with --More--, filters with pipes and leaves config with Ctrl-Z', async () => {
    const shell = await admin();
    await shell.waitFor(/EWC#$/);
    let from = shell.output.length;
    shell.send('show ap ?');
    const help = await shell.waitFor(/EWC#show ap $/, from);
    expect(help).toMatch(/image +Show AP image download and predownload status/);
    expect(help).toMatch(/summary +Show the APs joined to the controller/);
    shell.send('\x15');

    from = shell.output.length;
    shell.send('sh ver\t');
    await shell.waitFor(/version $/, from);
    shell.send('| include uptime\r');
    expect(await shell.waitFor(/EWC#$/, from)).toMatch(/EWC uptime is \d+ minute/);

    await shell.command('terminal length 5');
    from = shell.output.length;
    shell.send('show running-config\r');
    const firstPage = await shell.waitFor(/ --More-- $/, from);
    expect(firstPage.split('\r\n').slice(1, -1)).toEqual(['Building configuration...', '', expect.stringMatching(/^Current configuration : \d+ bytes$/), '!']);
    shell.send(' ');
    await shell.waitFor(/ --More-- $/, shell.output.length - 1);
    from = shell.output.length;
    shell.send('q');
    await shell.waitFor(/EWC#$/, from);
    expect(shell.output.slice(from)).not.toContain('end');
    await shell.command('terminal length 0');
    expect(await shell.command('show running-config | section image-download')).toMatch(/wireless profile image-download default\r\n image-download-mode/);

    await shell.command('conf t');
    await shell.command('hostname LAB-EWC');
    expect(await shell.command('wireless profile image-download default', /LAB-EWC\(config-wireless-image-download-profile\)#$/)).toBeTruthy();
    from = shell.output.length;
    shell.send('\x1a');
    expect(await shell.waitFor(/\^Z\r\nLAB-EWC#$/, from)).toBeTruthy();
    expect(await shell.command('show run | include ^hostname')).toContain('hostname LAB-EWC');
    await shell.command('conf t');
    await shell.command('no hostname');
    expect(await shell.command('end')).toMatch(/\r\nEWC#$/);
  });

  it('takes a pasted burst line by line, each after its own prompt', async () => {
    const shell = await admin();
    await shell.waitFor(/EWC#$/);
    const from = shell.output.length;
    shell.send(
      'configure terminal\rwireless profile image-download default\rimage-download-mode tftp\rtftp-image-server 192.0.2.9\rtftp-image-path /pasted\rtftp-image-port 6969\rend\rshow run | include tftp-image\r',
    );
    const screen = await shell.waitFor(/tftp-image-port 6969\r\nEWC#$/, from);
    expect(screen).toContain('EWC(config-wireless-image-download-profile-tftp)#tftp-image-path /pasted');
    expect(screen).toContain('EWC(config-wireless-image-download-profile-tftp)#end\r\nEWC#show run | include tftp-image');
    expect(profile()).toMatchObject({ imageServer: '192.0.2.9', imagePath: '/pasted', port: 6969 });
  });

  it('saves only the lines typed, on top of what the page saved meanwhile', async () => {
    const shell = await admin();
    await shell.waitFor(/EWC#$/);
    await shell.command('configure terminal');
    await shell.command('wireless profile image-download default');
    await shell.command('tftp-image-path /typed-in-cli');
    const page = await harness.instance.api.saveProfile({ mode: 'TFTP', imageServer: '10.1.1.1', imagePath: '/from-the-page', port: 69, parallelMode: true }, ADMIN);
    expect(page.status).toBe(200);
    expect(await shell.command('end')).toMatch(/\r\nEWC#$/);
    expect(profile()).toMatchObject({ imageServer: '10.1.1.1', imagePath: '/typed-in-cli', parallelMode: true });
  });

  it('typing only the TFTP lines keeps the CCO and Desktop settings: the audit trail names the TFTP lines only, and Check for New Version still reaches the catalog', async () => {
    const catalog = await startTestCatalog(10_000);
    try {
      const cco = { catalogUrl: catalog.service.url, username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.key, release: 'latest', caCertificate: catalog.certificate.caPem.trim() };
      const desktop = { uploadId: 'ap-image-upload-1', version: '17.15.2.3' };
      expect((await harness.instance.api.saveProfile({ mode: 'CCO', parallelMode: false, cco, desktop }, ADMIN)).status).toBe(200);
      const checkedBefore = (await harness.instance.catalogApi.check()).body as CatalogCheckResult;
      expect(checkedBefore).toMatchObject({ ok: true, catalogUrl: catalog.service.url });
      const before = profile();
      const trail = (await harness.instance.auth.audit.recent()).length;

      const shell = await admin();
      await shell.waitFor(/EWC#$/);
      for (const line of ['configure terminal', 'wireless profile image-download default', 'image-download-mode tftp', 'tftp-image-server 10.0.0.55', 'tftp-image-path /EWC/cli-only']) {
        await shell.command(line);
      }
      const ended = await shell.command('end');
      expect(ended).not.toContain('%');

      // What the user sees first: the CCO settings, the Desktop settings and Check for New Version, as before.
      const after = profile();
      expect(after.cco).toEqual(before.cco);
      expect(after.cco).toMatchObject({ catalogUrl: catalog.service.url, username: TEST_ACCOUNT.username, release: 'latest', hasPassword: true, caCertificate: cco.caCertificate });
      expect(after.desktop).toEqual(desktop);
      const checkedAfter = (await harness.instance.catalogApi.check()).body as CatalogCheckResult;
      expect({ ...checkedAfter, checkedAt: null }).toEqual({ ...checkedBefore, checkedAt: null });

      // The save named the mode and the two TFTP lines, and the audit trail says just that.
      expect(after).toMatchObject({ mode: 'TFTP', imageServer: '10.0.0.55', imagePath: '/EWC/cli-only', tftp: { imageServer: '10.0.0.55', imagePath: '/EWC/cli-only' } });
      expect(after.sftp).toEqual(before.sftp);
      const saved = (await harness.instance.auth.audit.recent()).slice(trail).filter((entry) => entry.action === 'profile.save');
      expect(saved.map((entry) => entry.detail)).toEqual([
        `mode CCO -> TFTP, tftp.imageServer ${before.tftp.imageServer || '""'} -> 10.0.0.55, tftp.imagePath ${before.tftp.imagePath || '""'} -> /EWC/cli-only`,
      ]);
    } finally {
      await catalog.service.close();
      fs.rmSync(catalog.root, { recursive: true, force: true });
    }
  });

  it('predownloads over SFTP once the host key the refusal names is trusted with sftp-host-key', async () => {
    const sftp = await startSftpServer({ root: harness.config.dataDir, username: 'images', password: 'images-password', hostKeyPath: path.join(harness.config.dataDir, 'sftp-test-host-key') });
    try {
      const shell = await admin();
      await shell.waitFor(/EWC#$/);
      for (const line of [
        'conf t',
        'wireless profile image-download default',
        'image-download-mode sftp',
        'sftp-image-server 127.0.0.1',
        `sftp-image-port ${sftp.port}`,
        'sftp-image-path bundle',
        'sftp-username images',
        'sftp-password 0 images-password',
      ]) {
        await shell.command(line);
      }
      expect(await shell.command('end')).toMatch(/\r\nEWC#$/);
      const refused = await shell.command('ap image predownload');
      expect(refused).toContain(`% Error: The host key of 127.0.0.1:${sftp.port} is not trusted yet. Check its fingerprint ${sftp.fingerprint}`);
      expect(refused).toContain(`Trust it with "sftp-host-key ${sftp.fingerprint}"`);
      await shell.command('conf t');
      await shell.command('wireless profile image-download default');
      await shell.command(`sftp-host-key ${sftp.fingerprint}`);
      await shell.command('end');
      expect(profile().sftp.hostKeyFingerprint).toBe(sftp.fingerprint);
      // Trusted, the login goes through; the bundle path does not exist on this server, so the upgrade fails at once and says why.
      expect(await shell.command('ap image predownload')).toMatch(
        /% Error: Upgrade \d+ failed: Failed to download file sftp:\/\/\*{5}@127\.0\.0\.1:\d+\/bundle\/version\.info: No such file or directory/,
      );
      expect(await shell.command('show running-config | include sftp-password')).toMatch(/ sftp-password aes \S+\r\n/);
      await waitFor(
        'the SFTP run to end',
        () => harness.instance.orchestrator.view().state,
        (state) => state !== 'running',
      );
    } finally {
      await sftp.close();
    }
  });

  it('refuses the upgrade steps that cannot run now with the reason', async () => {
    const shell = await admin();
    await shell.waitFor(/EWC#$/);
    expect(await shell.command('ap image predownload abort')).toContain('% Error: No predownload is in progress.');
    expect(await shell.command('ap image swap')).toContain('% Error: Nothing to swap');
    expect(await shell.command('ap image reset')).toContain('% Error: No AP image swap pending');
  });

  it('runs one command over ssh exec with its exit status', async () => {
    const ok = await sshExec(port, { username: 'admin', password: TEST_ADMIN_PASSWORD }, 'show ap image');
    expect(ok.code).toBe(0);
    expect(ok.output.startsWith('Total number of APs  : 0\n')).toBe(true);
    const bad = await sshExec(port, { username: 'admin', password: TEST_ADMIN_PASSWORD }, 'show ap imagex');
    expect(bad.code).toBe(1);
    expect(bad.output).toContain("% Invalid input detected at '^' marker.");
  });
});

describe('CLI accounts', () => {
  it('gives a monitor the > prompt and show commands only', async () => {
    expect(
      (
        await createUser(
          harness.instance.auth.accounts,
          { username: 'watcher', password: 'watcher-Basalt-Tern', role: 'monitor' },
          { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'api' },
        )
      ).ok,
    ).toBe(true);
    const shell = await SshShell.open(port, { username: 'watcher', password: 'watcher-Basalt-Tern' });
    shells.push(shell);
    await shell.waitFor(/EWC>$/);
    expect(await shell.command('configure terminal')).toContain("^\r\n% Invalid input detected at '^' marker.");
    expect(await shell.command('ap image predownload')).toContain('% Invalid input');
    expect(await shell.command('show privilege')).toContain('Current privilege level is 1');
    expect(await shell.command('show running-config')).toContain("^\r\n% Invalid input detected at '^' marker.");
    expect(await shell.command('show ap image')).toContain('Total number of APs');

    // Removing the account ends its sessions, the SSH one included.
    expect((await removeUser(harness.instance.auth.accounts, 'watcher', { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'api' })).ok).toBe(true);
    await shell.waitClosed();
  });

  it('logs in with a public key an admin added through the API, and no longer once it is removed', async () => {
    const keysApi = new SshKeysApi(harness.instance.sshKeys, harness.instance.auth);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const parsed = utils.parseKey(pem);
    if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('test key');
    const line = `${parsed.type} ${parsed.getPublicSSH().toString('base64')} ops@laptop`;

    // A pasted private key is refused before it is parsed, let alone stored.
    expect(await keysApi.add('admin', { publicKey: pem }, ADMIN)).toMatchObject({ status: 400, body: { issues: [{ path: 'publicKey', message: expect.stringMatching(/^One key per line/) }] } });
    expect((await keysApi.add('admin', { publicKey: 'ssh-ed25519 AAAAnot-base64' }, ADMIN)).status).toBe(400);
    expect(await keysApi.add('admin', {}, ADMIN)).toMatchObject({ status: 400, body: { issues: [{ path: 'publicKey' }] } });
    expect((await keysApi.add('nobody', { publicKey: line }, ADMIN)).status).toBe(404);
    const added = await keysApi.add('admin', { publicKey: line }, ADMIN);
    expect(added).toMatchObject({ status: 201, body: { key: { keyType: 'ecdsa-sha2-nistp256', comment: 'ops@laptop', fingerprint: expect.stringMatching(/^SHA256:/) } } });
    expect((await keysApi.add('ADMIN', { publicKey: line }, ADMIN)).status).toBe(409);
    const { key } = added.body as { key: { id: number; fingerprint: string } };

    const shell = await SshShell.open(port, { username: 'admin', privateKey: pem });
    shells.push(shell);
    await shell.waitFor(/EWC#$/);
    expect((await harness.instance.auth.audit.recent()).some((e) => e.action === 'login' && e.detail === `public key ${key.fingerprint}` && e.sourceAddress === '127.0.0.1 (ssh)')).toBe(true);

    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    await expect(SshShell.open(port, { username: 'admin', privateKey: other })).rejects.toThrow(/authentication/i);

    expect((await keysApi.remove('admin', String(key.id), ADMIN)).status).toBe(200);
    expect(await keysApi.list('admin')).toEqual({ status: 200, body: { keys: [] } });
    await expect(SshShell.open(port, { username: 'admin', privateKey: pem })).rejects.toThrow(/authentication/i);
    expect(await harness.instance.auth.audit.exportText()).toMatch(/user\.sshKey\.remove admin SHA256:/);
  });

  it('locks an account after five wrong passwords, as the web login does', async () => {
    await createUser(
      harness.instance.auth.accounts,
      { username: 'guesser', password: 'right-Cobalt-Meadow', role: 'admin' },
      { username: ADMIN.username, role: 'admin', sourceAddress: '127.0.0.1', via: 'api' },
    );
    for (let i = 0; i < 5; i++) {
      await expect(SshShell.open(port, { username: 'guesser', password: `wrong-${i}` })).rejects.toThrow(/authentication/i);
    }
    await expect(SshShell.open(port, { username: 'guesser', password: 'right-Cobalt-Meadow' })).rejects.toThrow(/authentication/i);
    const trail = (await harness.instance.auth.audit.recent()).filter((e) => e.username === 'guesser');
    expect(trail.map((e) => e.action)).toContain('login.locked');
    expect(trail.every((e) => e.action === 'user.create' || e.sourceAddress === '127.0.0.1 (ssh)')).toBe(true);
  }, 30_000);

  it('closes a session left idle longer than the limit and ends its login', async () => {
    const { instance } = harness;
    const parts = createConsoleCliBackend({
      app: instance.app,
      profileConfig: () => String(instance.api.exportConfig().body),
      bundleTrustKnown: (upgradeId) => instance.orchestrator.bundleTrustKnown(upgradeId),
      auth: instance.auth,
      sshKeys: instance.sshKeys,
      hostnames: await HostnameStore.load(instance.store.db, () => null),
      logging: instance.logging,
      apImage: () => instance.api.getApImage().body as ApImageReport,
      syslog: () => [],
      upgrade: () => instance.orchestrator.view(),
      startedAt: Date.now(),
    });
    // The console applies the web session's 8-hour idle limit; this server gets a short one.
    const server = startCliServer({ host: '127.0.0.1', port: 0, hostKeyPath: path.join(harness.config.dataDir, 'idle-test-host-key'), limiter: harness.instance.limiter, ...parts, idleMs: 500 });
    try {
      const shell = await SshShell.open(await server.listening, { username: 'admin', password: TEST_ADMIN_PASSWORD });
      await shell.waitFor(/EWC#$/);
      await shell.command('show privilege');
      await shell.waitClosed();
      expect(shell.output).toContain('% Session idle timeout');
      // The login this session opened ends with it: its logout follows its login in the trail.
      const loginId = (await instance.auth.audit.recent()).filter((e) => e.username === 'admin' && e.action === 'login').at(-1)!.id;
      const logout = await waitFor(
        'the logout',
        async () => (await instance.auth.audit.recent()).find((e) => e.id > loginId && e.action === 'logout'),
        (e) => e !== undefined,
        10_000,
      );
      expect(logout).toMatchObject({ username: 'admin', sourceAddress: '127.0.0.1 (ssh)' });
    } finally {
      await server.close();
    }
  });

  it('ends the login when the user types exit, after the output of the lines before it', async () => {
    const shell = await admin();
    await shell.waitFor(/EWC#$/);
    // A script piped into ssh: everything arrives at once, exit last.
    shell.send('terminal length 0\rshow version\rexit\r');
    await shell.waitClosed();
    expect(shell.output).toContain('Configuration register is 0x2102\r\nEWC#exit');
  });
});
