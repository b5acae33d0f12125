import { expect, test, type Page } from '@playwright/test';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const TFTP_PATH = '/EWC/17_12_1_5';
const SFTP_PATH = 'EWC/17_12_1_5';

function demoServers(consoleProcess: ConsoleProcess) {
  const tftp = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output());
  const sftp = /demo SFTP image server: sftp:\/\/([^@]+)@127\.0\.0\.1:(\d+)\S* \(demo password (\S+),/.exec(consoleProcess.output());
  if (!tftp || !sftp) throw new Error(`No demo TFTP or SFTP server in the console output:\n${consoleProcess.output()}`);
  return { tftpPort: tftp[1], sftpUser: sftp[1], sftpPort: sftp[2], sftpPassword: sftp[3] };
}

const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

async function expectServerFields(page: Page, server: string, path: string, port: string): Promise<void> {
  await expect(field(page, 'Image Server')).toHaveValue(server);
  await expect(field(page, 'Image Path')).toHaveValue(path);
  await expect(field(page, 'Port')).toHaveValue(port);
}

test.describe('TFTP and SFTP keep their own server, path and port', () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  test('switching the mode in the form shows each mode its own port, and Save & Download in TFTP goes to the TFTP port', async ({ page }) => {
    consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '40000' });
    const { tftpPort, sftpUser, sftpPort, sftpPassword } = demoServers(consoleProcess);
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('connection')).toHaveText('Live');
    await expectServerFields(page, '127.0.0.1', TFTP_PATH, tftpPort);

    // SFTP saved with the demo SFTP server's port.
    await field(page, 'Mode').selectOption('SFTP');
    await field(page, 'Image Server').fill('127.0.0.1');
    await field(page, 'Image Path').fill(SFTP_PATH);
    await field(page, 'Port').fill(sftpPort);
    await field(page, 'User Name').fill(sftpUser);
    await field(page, 'Password').fill(sftpPassword);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('action-message')).toContainText(/saved/i);

    // Back to TFTP: the TFTP server, path and port as they were, not the SFTP port.
    await field(page, 'Mode').selectOption('TFTP');
    await expectServerFields(page, '127.0.0.1', TFTP_PATH, tftpPort);
    await page.getByRole('button', { name: 'Save & Download' }).click();
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    const syslog = page.getByTestId('syslog');
    await expect(syslog).toContainText(`Completed install add tftp://127.0.0.1:${tftpPort}${TFTP_PATH}/ap1g8`);
    await expect(syslog).not.toContainText(`tftp://127.0.0.1:${sftpPort}`);

    // And SFTP again: its own port, kept through the TFTP save.
    await field(page, 'Mode').selectOption('SFTP');
    await expectServerFields(page, '127.0.0.1', SFTP_PATH, sftpPort);
    const profile = await (await page.request.get(`${consoleProcess.url}/api/image-download-profile`)).json();
    expect(profile).toMatchObject({
      mode: 'TFTP',
      port: Number(tftpPort),
      tftp: { imageServer: '127.0.0.1', imagePath: TFTP_PATH, port: Number(tftpPort) },
      sftp: { imageServer: '127.0.0.1', imagePath: SFTP_PATH, port: Number(sftpPort), username: sftpUser, hasPassword: true },
    });
  });
});
