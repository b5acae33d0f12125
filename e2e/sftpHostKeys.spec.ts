import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ensureDemoBundle } from '../server/sim/demo/demoBundle';
import { startOpenSshServer, type OpenSshServer } from '../server/sim/testing/opensshServer';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const DEMO_APS = 6;
const IMAGE_PATH = 'Documents/sftp_files/EWC/17_12_1_5';

test.describe('SFTP against OpenSSH with ED25519, RSA and ECDSA host keys', () => {
  let consoleProcess: ConsoleProcess;
  let sshd: OpenSshServer;

  test.beforeAll(async () => {
    sshd = await startOpenSshServer({ user: 'ewcsftp', hostKeyAlgorithms: ['ed25519', 'rsa', 'ecdsa'] });
    ensureDemoBundle(path.join(sshd.home, 'Documents', 'sftp_files'), 'scaled');
    fs.chmodSync(sshd.home, 0o755);
  });

  test.afterAll(async () => {
    await consoleProcess?.stop();
    await sshd?.dispose();
  });

  test('the RSA fingerprint pasted into Host Key Fingerprint downloads; a key trusted from Get host key is stored with its type', async ({ page }) => {
    const rsa = sshd.hostKeys.find((key) => key.algorithm === 'rsa')!;
    const ed25519 = sshd.hostKeys.find((key) => key.algorithm === 'ed25519')!;
    // The bundle on OpenSSH is generated unsigned: predownload it on purpose (see README, Signed images).
    consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '40000', EWC_MAX_RETRIES: '0', EWC_REQUIRE_SIGNED_IMAGES: '0' });
    await logIn(page, consoleProcess);
    await page.getByLabel('Mode', { exact: true }).selectOption('SFTP');
    await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Image Path', { exact: true }).fill(IMAGE_PATH);
    await page.getByLabel('Port', { exact: true }).fill(String(sshd.port));
    await page.getByLabel('User Name', { exact: true }).fill(sshd.user);
    await page.getByLabel('Password', { exact: true }).fill(sshd.password);
    await page.getByLabel('Host Key Fingerprint', { exact: true }).fill(rsa.fingerprint);
    await page.getByRole('button', { name: 'Save & Download' }).click();

    await expect(page.getByTestId('host-key-dialog')).toHaveCount(0);
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    await expect(page.locator('tr[data-status="Complete"]')).toHaveCount(DEMO_APS);
    await expect(page.getByTestId('syslog')).not.toContainText('Host key changed');

    await page.getByRole('button', { name: 'Get host key' }).click();
    const dialog = page.getByTestId('host-key-dialog');
    await expect(dialog).toContainText(`ED25519 key fingerprint is ${ed25519.fingerprint}`);
    await dialog.getByRole('button', { name: 'Trust and continue' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(async () => (await (await page.request.get(`${consoleProcess.url}/api/image-download-profile`)).json()).sftp)
      .toMatchObject({ hostKeyFingerprint: ed25519.fingerprint, hostKeyType: 'ssh-ed25519' });
  });
});
