import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshShell, sshExec } from '../sim/testing/sshShell';
import { ADMIN, startConsoleHarness, TEST_ADMIN_PASSWORD, type ConsoleHarness } from '../sim/testing/consoleHarness';

// Configuration injection through Export configuration: a saved value must never become a line of its own.
let harness: ConsoleHarness;

const INJECTED = 'ewc-demo\nusername bd privilege 15 secret Pwn3d!';
const PROFILE = { mode: 'SFTP', imageServer: '127.0.0.1', imagePath: 'EWC/17_12_1_5', port: 2222, parallelMode: false, sftp: { username: 'ewc-demo', password: 'ewc-demo-password' } };

beforeAll(async () => {
  harness = await startConsoleHarness();
});

afterAll(async () => {
  await harness.dispose();
});

function exported(): string {
  return String(harness.instance.api.exportConfig().body);
}

describe('Export configuration', () => {
  it("shows both modes' lines, in show running-config as in the export, and switching the mode changes the mode line only", async () => {
    const login = { username: 'admin', password: TEST_ADMIN_PASSWORD };
    const cliPort = await harness.instance.cli.listening;
    const shell = await SshShell.open(cliPort, login);
    try {
      await shell.waitFor(/EWC#$/);
      const typed = [
        'configure terminal',
        'wireless profile image-download default',
        'image-download-mode tftp',
        'tftp-image-server 10.0.0.5',
        'tftp-image-path /EWC/17_12_1_5',
        'tftp-image-port 6969',
        'sftp-image-server 10.0.0.6',
        'sftp-image-path Documents/sftp_files/EWC_17_12_1',
        'sftp-image-port 2422',
        'sftp-username calo',
        'end',
      ];
      for (const line of typed) expect(await shell.command(line)).not.toContain('%');
      const profileLines = (mode: string, extra: string[] = []) => [
        'wireless profile image-download default',
        ` image-download-mode ${mode}`,
        ' tftp-image-server 10.0.0.5',
        ' tftp-image-path /EWC/17_12_1_5',
        ' tftp-image-port 6969',
        ' sftp-image-server 10.0.0.6',
        ' sftp-image-path Documents/sftp_files/EWC_17_12_1',
        ' sftp-image-port 2422',
        ' sftp-username calo',
        ...extra,
        ' parallel-mode disable',
      ];
      const shown = async () => (await sshExec(cliPort, login, 'show running-config | section image-download')).output.split(/\r?\n/).filter((line) => line !== '');
      expect(exported().split('\n')).toEqual([...profileLines('tftp'), '']);
      expect(await shown()).toEqual(profileLines('tftp'));

      // Switching to SFTP (with its password) leaves every server line as it was.
      for (const line of ['configure terminal', 'wireless profile image-download default', 'image-download-mode sftp', 'sftp-password 0 calo-Pa55word', 'end'])
        expect(await shell.command(line)).not.toContain('%');
      const sealed = (await harness.instance.store.db.selectFrom('image_download_profile').select('sftp_password').where('id', '=', 1).executeTakeFirstOrThrow()).sftp_password;
      expect(exported().split('\n')).toEqual([...profileLines('sftp', [` sftp-password aes ${sealed}`]), '']);
      expect(await shown()).toEqual(profileLines('sftp', [` sftp-password aes ${sealed}`]));
    } finally {
      shell.close();
    }
  });

  it('refuses a user name with a line break at Save, with a field message, and exports the profile unchanged', async () => {
    expect((await harness.instance.api.saveProfile(PROFILE, ADMIN)).status).toBe(200);
    const refused = await harness.instance.api.saveProfile({ ...PROFILE, sftp: { ...PROFILE.sftp, username: INJECTED } }, ADMIN);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ issues: expect.arrayContaining([{ path: 'sftp.username', message: expect.stringMatching(/control, line-break/) }]) });
    expect(exported()).toContain(' sftp-username ewc-demo\n');
    expect(exported()).not.toMatch(/^\s*username /m);
  });

  it('never prints a line break from a value stored before validation refused it: the line becomes a comment', async () => {
    // Written as an older console, before the rule, could have: the next start reads it.
    await harness.instance.store.db.updateTable('image_download_profile').set({ sftp_username: INJECTED, sftp_image_path: 'EWC/My Images' }).where('id', '=', 1).execute();
    await harness.stop();
    harness = await startConsoleHarness({}, harness.config.dataDir);
    const text = exported();
    expect(text).not.toMatch(/^\s*username /m);
    expect(text).not.toContain('Pwn3d');
    expect(text).toContain(' ! sftp-username not exported: its value holds control, line-break or quote characters; save the profile again\n');
    // A value with a space is one quoted argument, not two.
    expect(text).toContain(' sftp-image-path "EWC/My Images"\n');
    expect(text.split('\n').every((line) => line === '' || line.startsWith(' ') || line === 'wireless profile image-download default')).toBe(true);
  });

  it('refuses IPv4-mapped IPv6 forms of multicast, broadcast and unspecified addresses as the image server, so none is saved or exported', async () => {
    expect((await harness.instance.api.saveProfile({ ...PROFILE, mode: 'TFTP', imageServer: '10.0.0.5', port: 69 }, ADMIN)).status).toBe(200);
    const cases: [string, RegExp][] = [
      ['::ffff:224.0.0.1', /multicast/],
      ['::ffff:255.255.255.255', /broadcast/],
      ['::ffff:0.0.0.0', /this network/],
      ['[::ffff:224.0.0.1]', /multicast/],
      ['::FFFF:e000:1', /multicast/],
      ['0:0:0:0:0:ffff:ffff:ffff', /broadcast/],
      ['::ffff:240.0.0.1', /reserved/],
    ];
    for (const [imageServer, message] of cases) {
      const refused = await harness.instance.api.saveProfile({ ...PROFILE, mode: 'TFTP', imageServer, port: 69 }, ADMIN);
      expect(refused.status, imageServer).toBe(400);
      expect(refused.body, imageServer).toMatchObject({ issues: [{ path: 'imageServer', message: expect.stringMatching(message) }] });
    }
    expect(exported()).toContain(' tftp-image-server 10.0.0.5\n');
    expect(exported()).not.toMatch(/ffff/i);
    expect((await harness.instance.api.saveProfile({ ...PROFILE, mode: 'TFTP', imageServer: '::ffff:10.0.0.6', port: 69 }, ADMIN)).status).toBe(200);
  });
});
