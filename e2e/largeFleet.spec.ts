import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { generatedFleet } from '../server/sim/ap/simulatedFleet';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const FLEET = generatedFleet(120, '17.9.4.27');
const SLOTS = 10;

test.describe('a fleet larger than one page', () => {
  let consoleProcess: ConsoleProcess;
  let fleetFile: string;

  test.afterEach(async () => {
    await consoleProcess?.stop();
    fs.rmSync(path.dirname(fleetFile), { recursive: true, force: true });
  });

  test('filters, sorts and pages the AP table during a run, with counters for the whole fleet', async ({ page }) => {
    fleetFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-e2e-fleet-')), 'fleet.json');
    fs.writeFileSync(fleetFile, JSON.stringify(FLEET));
    // Slow links and few slots, so the run lasts long enough to look at it.
    consoleProcess = await startConsole({ EWC_FLEET_FILE: fleetFile, EWC_AP_LINK_KBPS: '3000', EWC_MAX_CONCURRENT_PREDOWNLOADS: String(SLOTS) });
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('summary-totalAps')).toHaveText('120');
    await expect(page.getByTestId('ap-row')).toHaveCount(25);
    await expect(page.getByTestId('ap-table-range')).toHaveText('1–25 of 120');
    await expect(page.getByTestId('ap-table-page')).toHaveText('Page 1 of 5');

    const tftpPort = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output())![1];
    await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Image Path', { exact: true }).fill('/EWC/17_12_1_5');
    await page.getByLabel('Port', { exact: true }).fill(tftpPort);
    await page.getByLabel('Parallel Mode').check();
    await page.getByRole('button', { name: 'Save & Download' }).click();

    // APs beyond the slots wait in line, and the page says how many and where each stands.
    await expect(page.getByTestId('delivery-slots')).toContainText(`at most ${SLOTS}`);
    await page.getByLabel('Filter by predownload status').selectOption('Downloading');
    await expect(page.getByTestId('ap-queued').first()).toContainText(/Waiting for a slot \(#\d+\)/);
    await page.getByLabel('Filter by predownload status').selectOption('Predownloading');
    // Never more APs receiving than slots: the filtered count, and the rows shown (read in one go, as they change live).
    await expect(page.getByTestId('ap-table-range')).toHaveText(new RegExp(`^1–(\\d+) of ([1-9]|${SLOTS})$`));
    const statuses = await page.getByTestId('ap-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.length).toBeLessThanOrEqual(SLOTS);
    expect(new Set(statuses)).toEqual(new Set(['Predownloading']));
    await page.getByLabel('Filter by predownload status').selectOption('all');

    // One image type: only its rows, counted; the counters above still speak for the whole fleet.
    const ap1g8 = FLEET.filter((ap) => ap.imageType === 'ap1g8');
    await page.getByLabel('Filter by image type').selectOption('ap1g8');
    await expect(page.getByTestId('ap-table-range')).toHaveText(`1–${ap1g8.length} of ${ap1g8.length}`);
    for (const row of await page.getByTestId('ap-row').all()) await expect(row.locator('td[data-col="imageType"]')).toHaveText('ap1g8');
    await expect(page.getByTestId('summary-totalAps')).toHaveText('120');
    await page.screenshot({ path: path.join('.test-results', 'large-fleet-filtered.png'), fullPage: true });
    await page.getByLabel('Filter by image type').selectOption('all');

    // A MAC typed in its colon form finds its AP.
    const wanted = FLEET[77];
    await page.getByLabel('Filter by AP name or MAC').fill(wanted.mac.replace(/\./g, '').replace(/(..)(?!$)/g, '$1:'));
    await expect(page.getByTestId('ap-row')).toHaveCount(1);
    await expect(page.getByTestId('ap-row')).toHaveAttribute('data-ap-name', wanted.name);
    await page.getByLabel('Filter by AP name or MAC').fill('');

    // Pages of ten, sorted by name descending.
    await page.getByLabel('Rows per page').selectOption('10');
    await page.getByLabel('Sort direction').selectOption('desc');
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.getByTestId('ap-table-range')).toHaveText('11–20 of 120');
    const names = FLEET.map((ap) => ap.name).sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    await expect(page.getByTestId('ap-row').first()).toHaveAttribute('data-ap-name', names[10]);

    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Activate', { timeout: 110_000 });
    await expect(page.getByTestId('summary-completedPredownloading')).toHaveText('120');
    await expect(page.getByTestId('ap-row')).toHaveCount(10);
    for (const row of await page.getByTestId('ap-row').all()) await expect(row).toHaveAttribute('data-status', 'Complete');
  });
});
