import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_CURRENT_BUNDLE } from '../server/sim/demo/demoBundle';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

// The seed's procedure for APs that join: Save a profile for the controller's own version, and an old AP started
// with `npm run fleet -- --version` joins, is given that version and joins again running it, watched on the page.
test.describe('Image download for APs that join', () => {
  let consoleProcess: ConsoleProcess;
  let fleet: ChildProcess | null = null;

  test.afterEach(async () => {
    if (fleet && fleet.exitCode === null) {
      const exited = new Promise((resolve) => fleet!.once('exit', resolve));
      fleet.kill('SIGTERM');
      await exited;
    }
    await consoleProcess?.stop();
  });

  test('an old AP joins, is shown downloading the controller version, and joins again running it', async ({ page }) => {
    consoleProcess = await startConsole();
    const capwapUrl = /AP port \(mutual TLS, enrolment and \/capwap\): (https:\/\/127\.0\.0\.1:\d+)/.exec(consoleProcess.output())![1];
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('ap-row')).toHaveCount(6);
    await page.getByLabel('Image Path', { exact: true }).fill(DEMO_CURRENT_BUNDLE.imagePath);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('action-message')).toHaveText('Saved');

    const pki = path.join(consoleProcess.dataDir, 'pki');
    const args = ['server/sim/ap/fleetCli.ts', '--controller', capwapUrl, '--count', '1', '--version', '17.3.3.26', '--link-kbps', '2000', '--reload-ms', '1000'];
    const trust = ['--data-dir', path.join(consoleProcess.dataDir, 'old-ap'), '--ca', path.join(pki, 'ca.crt'), '--join-token-file', path.join(pki, 'fleet-join-token')];
    fleet = spawn(path.resolve('node_modules/.bin/tsx'), [...args, ...trust, '--vendor-keys', path.join(consoleProcess.dataDir, 'vendor-keys')], { stdio: 'ignore' });

    const row = page.locator('tr[data-ap-name^="SIM-"]');
    const status = row.locator('td[data-col="predownloadStatus"]');
    // While it receives the image (a 2 Mbit/s link), the row says Downloading and show ap image's counter says Completed downloading.
    await expect(status).toContainText('Downloading');
    await expect(page.getByTestId('summary-completedDownloading')).toHaveText('1');
    await expect(row.locator('td[data-col="primaryImage"]')).toHaveText('17.3.3.26 / NA');
    await expect(status).toContainText('Joined', { timeout: 60_000 });
    await expect(row.locator('td[data-col="primaryImage"]')).toHaveText(`${DEMO_CURRENT_BUNDLE.version} / NA`);
    await expect(row.locator('td[data-col="backupImage"]')).toHaveText('17.3.3.26 / NA');
    await expect(page.getByTestId('summary-completedDownloading')).toHaveText('0');
    await expect(page.getByTestId('syslog')).toContainText('Disjoined Image Download Success');
    await page.screenshot({ path: '.test-results/join-image-download.png', fullPage: true });
  });
});
