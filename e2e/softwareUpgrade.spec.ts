import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const IMAGE_PATH = '/EWC/17_12_1_5';
const NEW_VERSION = '17.12.1.5';
const DEMO_APS = 6;
const STATUS_COUNTERS = [
  'initiated',
  'downloading',
  'predownloading',
  'completedDownloading',
  'completedPredownloading',
  'notSupported',
  'failedToPredownload',
  'aborted',
  'reloading',
  'joined',
  'none',
];

function tftpPortOf(consoleProcess: ConsoleProcess): string {
  const match = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output());
  if (!match) throw new Error(`No demo TFTP server in the console output:\n${consoleProcess.output()}`);
  return match[1];
}

async function fillTftpProfile(page: Page, imagePath: string, port: string): Promise<void> {
  await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
  await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
  await page.getByLabel('Image Path', { exact: true }).fill(imagePath);
  await page.getByLabel('Port', { exact: true }).fill(port);
}

test.describe('Software Upgrade over TFTP', () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  test('predownloads to every AP live, activates, and the fleet runs the new version', async ({ page }) => {
    consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '40000' });
    await logIn(page, consoleProcess);
    await expect(page).toHaveURL(/\/administration\/software-management\/software-upgrade$/);
    await expect(page.getByTestId('connection')).toHaveText('Live');
    // The non-homogeneous banner is about Desktop mode only (see desktop.spec.ts).
    await expect(page.getByTestId('homogeneity-banner')).toHaveCount(0);
    await expect(page.getByTestId('ap-row')).toHaveCount(DEMO_APS);
    await expect(page.getByRole('button', { name: 'Activate' })).toBeDisabled();
    // No predownload yet: every AP counted once (None), and its version shown as IOS shows it.
    await expect(page.getByTestId('summary-none')).toHaveText(String(DEMO_APS));
    await expect(page.getByTestId('summary-predownloadInProgress')).toHaveText('No');
    for (const row of await page.getByTestId('ap-row').all()) await expect(row.locator('td[data-col="predownloadVersion"]')).toHaveText('0.0.0.0');

    await fillTftpProfile(page, IMAGE_PATH, tftpPortOf(consoleProcess));
    await page.getByRole('button', { name: 'Save & Download' }).click();
    await expect(page.getByTestId('summary-predownloadInProgress')).toHaveText('Yes');

    // Whatever moment the page is looked at, its status counters add up to the number of APs.
    const bar = page.getByTestId('stage-bar');
    const seen: number[][] = [];
    while ((await bar.getAttribute('data-stage')) !== 'Activate') {
      seen.push(await page.evaluate((keys) => keys.map((key) => Number(document.querySelector(`[data-testid="summary-${key}"]`)?.textContent)), ['totalAps', ...STATUS_COUNTERS]));
      expect(seen.length).toBeLessThan(2000);
      await page.waitForTimeout(100);
    }
    for (const [total, ...counters] of seen)
      expect(
        counters.reduce((a, b) => a + b, 0),
        JSON.stringify(counters),
      ).toBe(total);
    expect(seen.some(([, ...counters]) => counters.slice(0, 3).some((n) => n > 0))).toBe(true);
    await expect(bar).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    await expect(page.getByTestId('summary-predownloadInProgress')).toHaveText('No');
    await expect(page.getByTestId('summary-completedPredownloading')).toHaveText(String(DEMO_APS));
    await expect(page.getByTestId('summary-failedToPredownload')).toHaveText('0');
    for (const row of await page.getByTestId('ap-row').all()) {
      await expect(row).toHaveAttribute('data-status', 'Complete');
      await expect(row.locator('td[data-col="backupImage"]')).toContainText(NEW_VERSION);
      await expect(row.locator('td[data-col="predownloadVersion"]')).toContainText(NEW_VERSION);
    }
    await expect(page.locator('tr[data-ap-name="AP6C41.0E16.E79C"] td[data-col="controllerPercent"]')).toContainText('100%');
    await expect(page.locator('tr[data-ap-name="AP-POD-2-2"] td[data-col="controllerPercent"]')).toContainText('NA');

    // Activate reloads the whole network: the page names what will happen and waits for a yes; Escape changes nothing.
    await page.getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Activate upgrade 1: reload 6 APs?' });
    await expect(dialog).toContainText(`6 APs reload all at once and boot ${NEW_VERSION}, the image each one predownloaded as its backup.`);
    await expect(dialog).toContainText('The AP that hosts the controller reloads with them; the controller then runs 17.12.01.0.5.');
    await expect(dialog.getByRole('button', { name: 'Not now' })).toBeFocused();
    await dialog.screenshot({ path: path.join('.test-results', 'confirm-activate.png') });
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    expect((await (await page.request.get(`${consoleProcess.url}/api/software-upgrade`)).json()).stage).toBe('Activate');
    await page.getByRole('button', { name: 'Activate' }).click();
    await dialog.getByRole('button', { name: 'Activate now' }).click();
    await expect(bar).toHaveAttribute('data-stage', 'Completed', { timeout: 60_000 });
    for (const row of await page.getByTestId('ap-row').all()) {
      await expect(row.locator('td[data-col="primaryImage"]')).toContainText(NEW_VERSION);
    }
    const upgrade = await (await page.request.get(`${consoleProcess.url}/api/software-upgrade`)).json();
    expect(upgrade).toMatchObject({ stage: 'Completed', targetVersion: NEW_VERSION, controllerVersion: '17.12.01.0.5' });
    await page.screenshot({ path: path.join('.test-results', 'software-upgrade-after-run.png'), fullPage: true });
  });

  test("a wrong image path ends the run Failed at once with the server's reason: the bar, the panel, the rows and the log say why, and nothing blames signing", async ({ page }) => {
    // The demo requires signed images: a missing bundle must not read as a signing failure.
    consoleProcess = await startConsole();
    const port = tftpPortOf(consoleProcess);
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('connection')).toHaveText('Live');
    await expect(page.getByTestId('ap-row')).toHaveCount(DEMO_APS);
    await fillTftpProfile(page, '/Wrong-Path', port);
    await page.getByRole('button', { name: 'Save & Download' }).click();

    const reason = `Failed to download file tftp://127.0.0.1:${port}/Wrong-Path/version.info: No such file or directory`;
    const bar = page.getByTestId('stage-bar');
    await expect(bar).toHaveAttribute('data-stage', 'Failed');
    // The bar shows the failure where it stopped.
    await expect(page.getByTestId('stage-Initiate')).toHaveAttribute('data-state', 'failed');
    await expect(page.getByTestId('stage-ControllerImageDownload')).toHaveAttribute('data-state', 'pending');
    await expect(page.getByTestId('upgrade-message')).toContainText(reason);
    await expect(page.getByTestId('syslog')).toContainText(reason);
    for (const row of await page.getByTestId('ap-row').all()) {
      await expect(row).toHaveAttribute('data-status', 'Failed');
      await expect(row.locator('td[data-col="nextRetryTime"]')).toHaveText('0');
    }
    // Each reason is one line under its AP's row, across the table.
    await expect(page.getByTestId('ap-error')).toHaveCount(DEMO_APS);
    for (const error of await page.getByTestId('ap-error').all()) await expect(error).toHaveText(reason);
    await expect(page.getByTestId('summary-failedToPredownload')).toHaveText(String(DEMO_APS));
    await expect(page.getByTestId('summary-predownloadInProgress')).toHaveText('No');
    await expect(page.getByTestId('syslog')).not.toContainText(/signing|signature|SIGNED/);
    await expect(page.getByTestId('syslog')).not.toContainText(`/Wrong-Path/ap`);
    await expect(page.getByRole('button', { name: 'Activate' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toBeDisabled();
    const profile = await (await page.request.get(`${consoleProcess.url}/api/image-download-profile`)).json();
    expect(profile).toMatchObject({ mode: 'TFTP', imagePath: '/Wrong-Path', port: Number(port) });
  });

  test('bad input shows field errors, the API answers 400 and 409, and the saved profile is kept', async ({ page }) => {
    consoleProcess = await startConsole();
    const port = tftpPortOf(consoleProcess);
    await logIn(page, consoleProcess);
    await fillTftpProfile(page, IMAGE_PATH, port);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('action-message')).toContainText(/saved/i);

    await page.getByLabel('Image Server', { exact: true }).fill('300.1.1.1');
    await page.getByLabel('Image Path', { exact: true }).fill('');
    await page.getByLabel('Port', { exact: true }).fill('70000');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('error-tftp.imageServer')).toBeVisible();
    await expect(page.getByTestId('error-tftp.imagePath')).toBeVisible();
    await expect(page.getByTestId('error-tftp.port')).toContainText('between 1 and 65535');
    await expect(page.getByLabel('Image Server', { exact: true })).toHaveAttribute('aria-invalid', 'true');

    const bad = await page.request.put(`${consoleProcess.url}/api/image-download-profile`, {
      headers: { origin: consoleProcess.url },
      data: { mode: 'TFTP', imageServer: 'bad host!', imagePath: '', port: 0, parallelMode: false },
    });
    expect(bad.status()).toBe(400);
    const body = await bad.json();
    expect(body.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['imageServer', 'imagePath', 'port']));
    const notJson = await page.request.put(`${consoleProcess.url}/api/image-download-profile`, { headers: { 'content-type': 'application/json', origin: consoleProcess.url }, data: '{oops' });
    expect(notJson.status()).toBe(400);
    expect((await page.request.post(`${consoleProcess.url}/api/software-upgrade/activate`, { headers: { origin: consoleProcess.url } })).status()).toBe(409);
    expect((await page.request.post(`${consoleProcess.url}/api/software-upgrade/cancel`, { headers: { origin: consoleProcess.url } })).status()).toBe(409);

    await page.reload();
    await expect(page.getByLabel('Image Server', { exact: true })).toHaveValue('127.0.0.1');
    await expect(page.getByLabel('Image Path', { exact: true })).toHaveValue(IMAGE_PATH);
  });

  test('Cancel during a slow predownload stops the transfers and marks the APs Aborted', async ({ page }) => {
    // Links slow enough (a demo image takes about half a minute) that no AP completes while the dialog is read twice on a loaded machine.
    consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '300' });
    await logIn(page, consoleProcess);
    await fillTftpProfile(page, IMAGE_PATH, tftpPortOf(consoleProcess));
    await page.getByLabel('Parallel Mode', { exact: true }).click();
    await page.getByRole('button', { name: 'Save & Download' }).click();
    await expect(page.locator('tr[data-status="Predownloading"]').first()).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Save & Download' })).toBeDisabled();

    // Cancel names what stops and what is kept, and does nothing until confirmed.
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel the predownload of upgrade 1?' });
    await expect(dialog).toContainText(/The transfers stop: [1-6] APs? still predownloading or waiting to retry (drops its|drop their) partial image and shows? Aborted\./);
    await expect(dialog).toContainText(/[0-5] APs? that completed keeps? 17\.12\.1\.5 as backup image\./);
    await expect(dialog).toContainText('Nothing reloads: every AP keeps running its current image.');
    await dialog.screenshot({ path: path.join('.test-results', 'confirm-cancel.png') });
    await dialog.getByRole('button', { name: 'Keep downloading' }).click();
    await expect(dialog).toHaveCount(0);
    expect((await (await page.request.get(`${consoleProcess.url}/api/software-upgrade`)).json()).state).toBe('running');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.getByRole('button', { name: 'Cancel the predownload' }).click();
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Cancelled');
    await expect(page.locator('tr[data-status="Aborted"]')).toHaveCount(DEMO_APS);
    await expect(page.getByRole('button', { name: 'Save & Download' })).toBeEnabled();
  });
});
