import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const BANNER = 'Wireless network is Non-Homogeneous. Desktop (HTTP) mode is not supported.';
const VERSION = '17.15.2.3';

function homogeneousFleetFile(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-fleet-')), 'fleet.json');
  const ap = (name: string, mac: string) => ({ name, mac, model: 'C9105AXI-B', imageType: 'ap1g8', primaryVersion: '17.9.4.27', backupVersion: '17.3.3.26', freeSpaceKb: 400_000 });
  fs.writeFileSync(file, JSON.stringify([ap('AP-9105-A', '70f0.96a1.0001'), ap('AP-9105-B', '70f0.96a1.0002')]));
  return file;
}

test.describe('Desktop (HTTP) mode', () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  test('is unavailable in a non-homogeneous network, in the page and at the API', async ({ page }) => {
    consoleProcess = await startConsole();
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('connection')).toHaveText('Live');
    // The banner is about Desktop mode: in TFTP mode it has nothing to say, and Save works.
    await expect(page.getByTestId('homogeneity-banner')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeEnabled();
    await page.getByLabel('Mode', { exact: true }).selectOption('DESKTOP');
    await expect(page.getByTestId('homogeneity-banner')).toHaveText(BANNER);
    await expect(page.getByLabel('Image File', { exact: true })).toHaveCount(0);
    // Nothing can be saved in this mode here: the buttons say so by being off, and why, beside them.
    await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Save & Download' })).toBeDisabled();
    await expect(page.getByTestId('save-unavailable')).toHaveText(`Save and Save & Download are off: ${BANNER} Choose TFTP, SFTP or CCO.`);
    await page.locator('section[aria-labelledby="image-download-heading"]').screenshot({ path: path.join('.test-results', 'desktop-non-homogeneous.png') });
    await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    await expect(page.getByTestId('save-unavailable')).toHaveCount(0);
    await expect(page.getByTestId('homogeneity-banner')).toHaveCount(0);

    const headers = { origin: consoleProcess.url, 'tus-resumable': '1.0.0', 'upload-length': '1000' };
    const created = await page.request.post(`${consoleProcess.url}/api/uploads`, { headers });
    expect(created.status()).toBe(409);
    expect(await created.text()).toBe(BANNER);
    const saved = await page.request.put(`${consoleProcess.url}/api/image-download-profile`, {
      headers: { origin: consoleProcess.url },
      data: { mode: 'DESKTOP', parallelMode: false, desktop: { uploadId: 'abc', version: VERSION } },
    });
    expect(saved.status()).toBe(400);
    expect((await saved.json()).issues).toEqual([{ path: 'mode', message: BANNER }]);
  });

  test('an upload that drops halfway resumes without sending a byte twice, shows its SHA-256, and is delivered to the APs', async ({ page }) => {
    consoleProcess = await startConsole({ EWC_FLEET_FILE: homogeneousFleetFile(), EWC_AP_LINK_KBPS: '0' });
    const image = randomBytes(18 * 1024 * 1024 + 12_345);
    const sha256 = createHash('sha256').update(image).digest('hex');
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('ap-row')).toHaveCount(2);
    await expect(page.getByTestId('homogeneity-banner')).toHaveCount(0);

    // Count the bytes each PATCH carries to the server; drop the third and fourth attempts, as a cut link would.
    let patches = 0;
    let bytesToServer = 0;
    await page.route('**/api/uploads/**', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      patches += 1;
      if (patches === 3 || patches === 4) return route.abort('connectionreset');
      bytesToServer += route.request().postDataBuffer()?.length ?? 0;
      return route.continue();
    });

    await page.getByLabel('Mode', { exact: true }).selectOption('DESKTOP');
    await page.getByLabel('Image File', { exact: true }).setInputFiles({ name: `AIR-AP1G8-K9-${VERSION}.bin`, mimeType: 'application/octet-stream', buffer: image });
    await expect(page.getByTestId('desktop-sha256')).toHaveText(sha256, { timeout: 60_000 });
    expect(patches).toBeGreaterThan(4);
    expect(bytesToServer).toBe(image.length);
    await expect(page.getByLabel('Image Version', { exact: true })).toHaveValue(VERSION);

    // An upload is not signed: Save & Download refuses it until an admin trusts its SHA-256.
    await page.getByRole('button', { name: 'Save & Download' }).click();
    await expect(page.getByText(`An uploaded image is not signed: compare its SHA-256 ${sha256} with the one its vendor publishes`)).toBeVisible();
    await expect(page.getByTestId('stage-bar')).not.toHaveAttribute('data-stage', 'Activate');
    await page.getByRole('button', { name: 'Trust this image' }).click();
    await expect(page.getByTestId('desktop-trust')).toContainText('Trusted by admin at');

    await page.getByRole('button', { name: 'Save & Download' }).click();
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Activate', { timeout: 60_000 });
    await expect(page.getByTestId('syslog')).toContainText('Image verify success (SHA-256 trusted by admin: the image is not signed)');
    await expect(page.getByTestId('syslog')).not.toContainText('signing verify success');
    for (const row of await page.getByTestId('ap-row').all()) {
      await expect(row).toHaveAttribute('data-status', 'Complete');
      await expect(row.locator('td[data-col="backupImage"]')).toContainText(VERSION);
    }
    await page.reload();
    await expect(page.getByTestId('desktop-stored')).toContainText(`AIR-AP1G8-K9-${VERSION}.bin`);
    await expect(page.getByTestId('desktop-stored')).toContainText(sha256);
    await expect(page.getByTestId('desktop-trust')).toContainText('Trusted by admin at');
  });

  test('an upload can be cancelled, and a file over the size cap is refused', async ({ page }) => {
    consoleProcess = await startConsole({ EWC_FLEET_FILE: homogeneousFleetFile(), EWC_UPLOAD_MAX_BYTES: String(8 * 1024 * 1024) });
    await logIn(page, consoleProcess);
    await page.getByLabel('Mode', { exact: true }).selectOption('DESKTOP');
    await page.getByLabel('Image File', { exact: true }).setInputFiles({ name: 'ap1g8', mimeType: 'application/octet-stream', buffer: randomBytes(9 * 1024 * 1024) });
    await expect(page.getByTestId('desktop-upload-error')).toHaveText('The file is larger than this console accepts (EWC_UPLOAD_MAX_BYTES).');

    // Hold the first chunk so that Cancel comes mid-upload.
    let release: () => void = () => undefined;
    await page.route('**/api/uploads/**', async (route) => {
      if (route.request().method() === 'PATCH') await new Promise<void>((resolve) => (release = resolve));
      return route.continue().catch(() => undefined);
    });
    await page.getByLabel('Image File', { exact: true }).setInputFiles({ name: 'ap1g8', mimeType: 'application/octet-stream', buffer: randomBytes(6 * 1024 * 1024) });
    await expect(page.getByTestId('desktop-upload-progress')).toBeVisible();
    const uploads = path.join(consoleProcess.dataDir, 'uploads');
    await expect.poll(() => fs.readdirSync(uploads).filter((f) => !f.endsWith('.json')).length).toBe(1);
    await page.getByRole('button', { name: 'Cancel upload' }).click();
    release();
    await expect(page.getByTestId('desktop-upload-progress')).toHaveCount(0);
    await expect.poll(() => fs.readdirSync(uploads).length).toBe(0);
  });
});
