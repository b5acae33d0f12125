import { expect, test, type Page } from '@playwright/test';
import { syslogLineText, type SyslogLine } from '../lib/syslog';
import { seedApTableTitles, seedFormLabels, seedLine, seedSyslogLineAs } from '../server/sim/testing/seedText';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

/** The labels of the profile form's fields, top to bottom. */
async function formLabels(page: Page): Promise<string[]> {
  return page.getByRole('form', { name: 'Image download profile' }).locator('.profile-fields label').allTextContents();
}

test.describe("The page in the seed's words", () => {
  let consoleProcess: ConsoleProcess;

  test.afterEach(async () => {
    await consoleProcess?.stop();
  });

  test("shows the seed's AP table, titles and form, and prints the log as show logging does", async ({ page }) => {
    consoleProcess = await startConsole();
    const tftpPort = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output())![1];
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('ap-row')).toHaveCount(6);

    // The Web UI's own columns first, in its order and with its titles, as the seed's French copy keeps them; then this console's.
    const headers = (await page.getByRole('table', { name: 'AP image predownload status' }).locator('thead th').allTextContents()).map((text) => text.replace(/\u00ad/g, ''));
    const seedTitles = seedApTableTitles();
    expect(headers.slice(0, seedTitles.length)).toEqual(seedTitles);
    expect(headers.slice(seedTitles.length)).toEqual(['Predownload Version', 'Retry Count', 'Next Retry Time', 'Method', 'Actions']);
    // The AP/Controller pairs as the seed writes them: `17.9.4.27 / NA`, and `… /17.09.04a.0.6` on the AP that hosts the controller.
    const cell = (name: string, column: string) => page.locator(`tr[data-ap-name="${name}"] td[data-col="${column}"]`);
    await expect(cell('AP-POD-2-2', 'primaryImage')).toHaveText('17.9.4.27 / NA');
    await expect(cell('AP-POD-2-2', 'backupImage')).toHaveText('8.10.130.0 / NA');
    await expect(cell('AP6C41.0E16.E79C', 'primaryImage')).toHaveText('17.9.4.27 /17.09.04a.0.6');
    await expect(cell('AP6C41.0E16.E79C', 'backupImage')).toHaveText('17.3.3.26 /17.09.04a.0.6');
    await expect(cell('AP-POD-2-2', 'role')).toHaveText('NA');
    await expect(page.getByRole('region', { name: 'Software Upgrade Status' })).toBeVisible();

    // The form's fields in the seed's order (the console's own fields, Authentication and the host key, come between or after them).
    const seedOrder = (labels: string[], seed: string[]) => labels.filter((label) => seed.includes(label));
    await page.getByLabel('Mode', { exact: true }).selectOption('SFTP');
    expect(seedOrder(await formLabels(page), seedFormLabels('SFTP'))).toEqual(seedFormLabels('SFTP'));
    await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    expect(seedOrder(await formLabels(page), [...seedFormLabels('TFTP'), 'Port'])).toEqual(['Mode', 'Image Server', 'Image Path', 'Port', 'Parallel Mode']);

    // A wrong path: the page's log prints each line exactly as show logging does, and in the seed's words.
    await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Image Path', { exact: true }).fill('/Wrong-Path');
    await page.getByLabel('Port', { exact: true }).fill(tftpPort);
    await page.getByRole('button', { name: 'Save & Download' }).click();
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Failed');
    const api = (await (await page.request.get(`${consoleProcess.url}/api/syslog`)).json()) as SyslogLine[];
    const failedLine = api.find((line) => line.text.includes('Failed to install_add'))!;
    const shown = page.getByTestId('syslog-line').filter({ hasText: 'Failed to install_add' });
    await expect(shown).toHaveText(syslogLineText(failedLine));
    // Seed: *Feb 1 20:52:13.977: %INSTALL-3-OPERATION_ERROR_MESSAGE: Chassis 1 R0/0: install_engine: Failed to install_add package tftp://172.16.5.27/Wrong-Path/ap1g6, Error: Failed to download file tftp://172.16.5.27/Wrong-Path/ap1g6: No such file or directory
    // Differs: the time, the server's address (with its port), and the file (the first one asked for, version.info).
    const text = (await shown.textContent())!;
    expect(text).toBe(
      seedSyslogLineAs(seedLine('Failed to install_add package tftp://172.16.5.27/Wrong-Path/ap1g6'), text, {
        '172.16.5.27': `127.0.0.1:${tftpPort}`,
        '/Wrong-Path/ap1g6': '/Wrong-Path/version.info',
      }),
    );
    // IOS's timestamp: two spaces before a one-digit day, in UTC.
    expect(text).toMatch(/^\*[A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d\.\d{3}: %INSTALL-3-OPERATION_ERROR_MESSAGE: /);
    await expect(page.getByRole('region', { name: 'Syslog' })).toContainText('times in UTC as show logging prints them');
  });
});
