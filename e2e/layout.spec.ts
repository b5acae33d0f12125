import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const SCREENS = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
];

// The Web UI's columns as the seed shows them (the site tag under the AP name), then `show ap image`'s others and the admin's actions.
const COLUMNS = [
  'AP Name',
  'Primary Image (AP/Controller)',
  'Backup Image (AP/Controller)',
  'Predownload Status',
  'AP Image Type',
  'Role',
  'ETA/Percent Complete(AP)',
  'ETA/Percent Complete(Controller)',
  'Predownload Version',
  'Retry Count',
  'Next Retry Time',
  'Method',
  'Actions',
];

/** The AP table's box: whether it scrolls sideways, every column header inside it, and its rows' heights. */
async function tableGeometry(page: Page) {
  return page.getByRole('table', { name: 'AP image predownload status' }).evaluate((table) => {
    const wrap = table.parentElement!;
    const box = wrap.getBoundingClientRect();
    const headers = [...table.querySelectorAll('thead th')].map((th) => {
      const rect = th.getBoundingClientRect();
      return { text: th.textContent, inside: rect.left >= box.left - 1 && rect.right <= box.right + 1 && rect.right <= window.innerWidth };
    });
    const rows = [...table.querySelectorAll<HTMLElement>('tbody tr[data-testid="ap-row"]')].map((tr) => tr.getBoundingClientRect().height);
    const details = [...table.querySelectorAll<HTMLElement>('tbody tr.table-row-detail')].map((tr) => tr.getBoundingClientRect().height);
    return { overflow: wrap.scrollWidth - wrap.clientWidth, headers, rows, details };
  });
}

test.describe('Layout on laptop and desktop screens', () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  test('the AP table fits without scrolling sideways, every column shows, rows with an error stay low, navigation that goes nowhere is no link', async ({ page }) => {
    consoleProcess = await startConsole();
    const tftpPort = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output())![1];
    await page.setViewportSize(SCREENS[0]);
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('ap-row')).toHaveCount(6);
    const plainRow = Math.max(...(await tableGeometry(page)).rows);

    // Errors on every AP: a wrong path.
    await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Image Path', { exact: true }).fill('/Wrong-Path');
    await page.getByLabel('Port', { exact: true }).fill(tftpPort);
    await page.getByRole('button', { name: 'Save & Download' }).click();
    await expect(page.getByTestId('ap-error')).toHaveCount(6, { timeout: 60_000 });

    for (const screen of SCREENS) {
      await page.setViewportSize(screen);
      const geometry = await tableGeometry(page);
      expect(geometry.overflow, `sideways scroll at ${screen.width} px`).toBeLessThanOrEqual(0);
      expect(
        geometry.headers.filter((header) => !header.inside).map((header) => header.text),
        `headers cut off at ${screen.width} px`,
      ).toEqual([]);
      expect(geometry.headers.map((header) => header.text?.replace(/\u00ad/g, ''))).toEqual(COLUMNS);
      // An AP with an error keeps its row's height; the reason takes one line under it.
      for (const height of geometry.rows) expect(height, `row height at ${screen.width} px`).toBeLessThanOrEqual(plainRow + 1);
      for (const height of geometry.details) expect(height, `error line at ${screen.width} px`).toBeLessThan(plainRow);
      await page.screenshot({ path: path.join('.test-results', `layout-${screen.width}.png`), fullPage: true });
    }

    // The EWC's other sections have no page here: they are not offered as links.
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const section of ['Dashboard', 'Monitoring', 'Configuration', 'Licensing', 'Troubleshooting']) await expect(nav.getByText(section, { exact: true })).toHaveCount(0);
    for (const link of await nav.getByRole('link').all()) expect(await link.getAttribute('href')).toMatch(/^\/administration\//);
  });

  test('"Saved. Download started" goes away by itself after a few seconds', async ({ page }) => {
    consoleProcess = await startConsole();
    await logIn(page, consoleProcess);
    const tftpPort = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output())![1];
    await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    await page.getByLabel('Port', { exact: true }).fill(tftpPort);
    await page.getByRole('button', { name: 'Save & Download' }).click();
    const banner = page.getByTestId('action-message');
    await expect(banner).toHaveText('Saved. Download started');
    await expect(banner).toHaveCount(0, { timeout: 30_000 });
  });
});
