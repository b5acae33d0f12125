import path from 'node:path';
import { expect, test } from '@playwright/test';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const RECOMMENDED = '17.12.1.5';
const LATEST = '17.18.1.2';
const DEMO_APS = 6;

test.describe('CCO mode with the demo firmware catalog', () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  test('Check for New Version finds the newer release; Save & Download installs the recommended one over HTTPS, and Activate runs it', async ({ page }) => {
    consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '40000' });
    const catalogUrl = /demo firmware catalog: (https:\/\/127\.0\.0\.1:\d+)/.exec(consoleProcess.output())?.[1];
    expect(catalogUrl).toBeTruthy();
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('connection')).toHaveText('Live');

    await page.getByLabel('Mode', { exact: true }).selectOption('CCO');
    // The demo pre-fills the CCO settings as it pre-fills TFTP's: the image server fields give way to the catalog's.
    await expect(page.getByLabel('Catalog URL', { exact: true })).toHaveValue(catalogUrl!);
    await expect(page.getByLabel('Account User Name', { exact: true })).toHaveValue('ewc-demo');
    await expect(page.getByLabel('Image Server', { exact: true })).toHaveCount(0);
    await expect(page.getByTestId('catalog-checked-at')).toHaveText('Last check: never');

    await page.getByRole('button', { name: 'Check for New Version' }).click();
    const rows = page.getByTestId('catalog-row');
    await expect(rows).toHaveCount(5);
    const ap1g8 = page.locator('tr[data-image-type="ap1g8"]');
    await expect(ap1g8.locator('td[data-col="runningVersion"]')).toHaveText('17.9.4.27');
    await expect(ap1g8.locator('td[data-col="latest"]')).toContainText(LATEST);
    await expect(ap1g8.locator('td[data-col="recommended"]')).toContainText(RECOMMENDED);
    await expect(ap1g8.locator('td[data-col="models"]')).toHaveText('C9105AXI-B');
    const ap1g7 = page.locator('tr[data-image-type="ap1g7"]');
    await expect(ap1g7.locator('td[data-col="apCount"]')).toHaveText('2');
    await expect(page.locator('tr[data-image-type="ap3g3"] td[data-col="latest"]')).toContainText(RECOMMENDED);
    await expect(page.getByTestId('catalog-check-message')).toContainText('New version available');
    await expect(page.getByTestId('catalog-checked-at')).not.toHaveText('Last check: never');
    await page.getByTestId('catalog-check').screenshot({ path: path.join('.test-results', 'cco-check-for-new-version.png') });

    const last = await (await page.request.get(`${consoleProcess.url}/api/software-upgrade/check`)).json();
    expect(last).toMatchObject({ catalogUrl, checkedAt: expect.any(String), message: expect.stringContaining('New version available') });
    expect(last.imageTypes.find((t: { imageType: string }) => t.imageType === 'ap1g8')).toMatchObject({
      models: ['C9105AXI-B'],
      apCount: 1,
      runningVersion: '17.9.4.27',
      latest: { version: LATEST, size: expect.any(Number) },
      recommended: { version: RECOMMENDED, size: expect.any(Number) },
    });

    await page.getByRole('button', { name: 'Save & Download' }).click();
    const bar = page.getByTestId('stage-bar');
    await expect(bar).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    await expect(page.getByTestId('summary-completedPredownloading')).toHaveText(String(DEMO_APS));
    for (const row of await page.getByTestId('ap-row').all()) {
      await expect(row).toHaveAttribute('data-status', 'Complete');
      await expect(row.locator('td[data-col="backupImage"]')).toContainText(RECOMMENDED);
    }
    await expect(page.getByTestId('syslog')).toContainText(`Completed install add ${catalogUrl}/firmware/recommended/ap1g8`);
    // The demo catalog serves each release with its signature manifest: each AP verified the demo vendor's signature.
    await expect(page.getByTestId('syslog')).toContainText(`9105-emorenoa: status 'Image signing verify success.'`);

    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Activate now' }).click();
    await expect(bar).toHaveAttribute('data-stage', 'Completed', { timeout: 60_000 });
    for (const row of await page.getByTestId('ap-row').all()) {
      await expect(row.locator('td[data-col="primaryImage"]')).toContainText(RECOMMENDED);
    }
    const upgrade = await (await page.request.get(`${consoleProcess.url}/api/software-upgrade`)).json();
    expect(upgrade).toMatchObject({ stage: 'Completed', targetVersion: RECOMMENDED, controllerVersion: '17.12.01.0.5' });

    // The panel was checked before the install: it now says what runs, without a new check, and that the fleet changed.
    const checkedAt = await page.getByTestId('catalog-checked-at').textContent();
    await expect(page.locator('tr[data-image-type="ap3g3"] td[data-col="runningVersion"]')).toHaveText(RECOMMENDED);
    await expect(page.locator('tr[data-image-type="ap3g3"] td[data-col="note"]')).toHaveText(`Already running the latest release ${RECOMMENDED}`);
    await expect(ap1g8.locator('td[data-col="note"]')).toHaveText('New version available');
    await expect(page.getByTestId('catalog-fleet-changed')).toContainText(`ap3g3 runs ${RECOMMENDED} (was 17.9.4.27)`);
    await expect(page.getByTestId('catalog-check-message')).toContainText('New version available: ');
    await expect(page.getByTestId('catalog-check-message')).toContainText('for 3 of 5 image types.');
    await expect(page.getByTestId('catalog-checked-at')).toHaveText(checkedAt!);
    await page.screenshot({ path: path.join('.test-results', 'cco-after-run.png'), fullPage: true });
  });

  test('a certificate the console cannot verify is shown with its fingerprint and trusted once', async ({ page }) => {
    consoleProcess = await startConsole();
    const fingerprint = /demo firmware catalog: .*certificate ([0-9A-F:]{95})/.exec(consoleProcess.output())?.[1];
    expect(fingerprint).toBeTruthy();
    await logIn(page, consoleProcess);
    await page.getByLabel('Mode', { exact: true }).selectOption('CCO');
    // Without the demo CA only the system's store is left, which does not know the demo catalog.
    await page.getByLabel('CA Certificate', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('action-message')).toHaveText('Saved');
    await page.getByRole('button', { name: 'Check for New Version' }).click();
    await expect(page.getByTestId('catalog-check-message')).toContainText('Certificate verification failed');
    await expect(page.getByTestId('catalog-certificate')).toContainText(fingerprint!);

    await page.getByRole('button', { name: 'Trust this certificate' }).click();
    await expect(page.getByLabel('Certificate Fingerprint', { exact: true })).toHaveValue(fingerprint!);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('action-message')).toHaveText('Saved');
    await page.getByRole('button', { name: 'Check for New Version' }).click();
    await expect(page.getByTestId('catalog-check-message')).toContainText('New version available');
    await expect(page.getByTestId('catalog-certificate')).toHaveCount(0);
  });
});
