import { generateKeyPairSync } from 'node:crypto';
import { expect, test } from '@playwright/test';
import ssh2 from 'ssh2';
import { fingerprintOf } from '../server/sftp/hostKey';
import { SshShell } from '../server/sim/testing/sshShell';
import { ADMIN_PASSWORD, logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const { Client, utils } = ssh2;
const UPGRADE_PAGE = '/administration/software-management/software-upgrade';

/** The host key fingerprint the SSH server shows a client, read during the key exchange. */
function hostKeyOf(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('error', () => undefined);
    client.connect({
      host: '127.0.0.1',
      port,
      username: 'probe',
      hostVerifier: (key: Buffer) => {
        resolve(fingerprintOf(key));
        return false;
      },
    });
    setTimeout(() => reject(new Error('no host key')), 10_000);
  });
}

test.describe('the CLI beside the page', () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  test('prints its host key at start, takes a key an admin adds on the page, and its changes reach the open page live', async ({ page }) => {
    consoleProcess = await startConsole();
    const [, port, fingerprint] = /CLI: ssh -p (\d+) admin@127\.0\.0\.1 \(host key (SHA256:[A-Za-z0-9+/]{43})\)/.exec(consoleProcess.output())!;
    expect(await hostKeyOf(Number(port))).toBe(fingerprint);

    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const parsed = utils.parseKey(pem);
    if (parsed instanceof Error || Array.isArray(parsed)) throw new Error('test key');
    const keyFingerprint = fingerprintOf(parsed.getPublicSSH());

    await logIn(page, consoleProcess, 'admin', ADMIN_PASSWORD, '/administration/user-administration');
    const panel = page.getByRole('region', { name: 'SSH public keys (CLI)' });
    await expect(panel.getByLabel('User', { exact: true })).toHaveValue('admin');
    await panel.getByLabel('Public key', { exact: true }).fill('not a key');
    await panel.getByRole('button', { name: 'Add key' }).click();
    await expect(panel.getByTestId('error-publicKey')).toContainText('Not an SSH public key');
    await panel.getByLabel('Public key', { exact: true }).fill(`${parsed.type} ${parsed.getPublicSSH().toString('base64')} noc@laptop`);
    await panel.getByRole('button', { name: 'Add key' }).click();
    await expect(panel.locator(`[data-testid="ssh-key-row"][data-fingerprint="${keyFingerprint}"]`)).toContainText('noc@laptop');
    await panel.screenshot({ path: '.test-results/ssh-keys-panel.png' });

    await page.goto(`${consoleProcess.url}${UPGRADE_PAGE}`);
    await expect(page.getByTestId('connection')).toHaveText('Live');
    await expect(page.getByLabel('Image Path', { exact: true })).toHaveValue('/EWC/17_12_1_5');

    const shell = await SshShell.open(Number(port), { username: 'admin', privateKey: pem });
    try {
      await shell.waitFor(/\r\n9120-EWC#$/);
      await shell.command('configure terminal');
      await shell.command('wireless profile image-download default');
      await shell.command('tftp-image-path /EWC/from-the-cli');
      expect(await shell.command('end')).toMatch(/\r\n9120-EWC#$/);
      await expect(page.getByLabel('Image Path', { exact: true })).toHaveValue('/EWC/from-the-cli');
      expect(await shell.command('show ap summary')).toContain('Number of APs: 6');
    } finally {
      shell.close();
    }
  });
});
