import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startRsyslog, type RunningRsyslog } from '../server/sim/testing/rsyslog';
import { ADMIN_PASSWORD, logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const UPGRADE_PAGE = '/administration/software-management/software-upgrade';
const IMAGE_PATH = '/EWC/17_12_1_5';

/** The page scrolls sideways when its content is wider than the window. */
const sidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test.describe('Seen from the NOC', () => {
  let consoleProcess: ConsoleProcess;
  let rsyslog: RunningRsyslog | null = null;
  let work: string | null = null;

  test.afterEach(async () => {
    await consoleProcess?.stop();
    await rsyslog?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
    rsyslog = work = null;
  });

  test('Administration > Logging: an admin adds an rsyslog server and sees its feed; a monitor sees it read-only', async ({ page, browser }) => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-e2e-rsyslog-'));
    rsyslog = await startRsyslog(work);
    consoleProcess = await startConsole();
    await page.setViewportSize({ width: 1280, height: 800 });
    await logIn(page, consoleProcess, 'admin', ADMIN_PASSWORD, '/administration/logging');
    await expect(page.getByRole('heading', { name: 'Logging', level: 1 })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Syslog servers' })).toContainText('No syslog server');

    // A multicast address is refused on its field, by the same rule the API and the CLI apply.
    await page.getByLabel('Server Address', { exact: true }).fill('239.1.1.1');
    await page.getByRole('button', { name: 'Add Server' }).click();
    await expect(page.getByTestId('error-address')).toHaveText('Enter the address of a host, not a multicast address');

    await page.getByLabel('Server Address', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Transport', { exact: true }).selectOption('tcp');
    await page.getByLabel('Port', { exact: true }).fill(String(rsyslog.tcpPort));
    await page.getByRole('button', { name: 'Add Server' }).click();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('logging-message')).toHaveText('Saved');
    const row = page.getByRole('table', { name: 'Syslog servers' }).locator('tbody tr');
    await expect(row).toContainText('127.0.0.1');
    await expect(row).toContainText('TCP');
    await expect(row.locator('[data-col="link"]')).toHaveText('Up');

    // The start line reached rsyslog as IOS sends it (the demo fleet's lines may follow it).
    const started = new RegExp(
      `^<190>\\d+: \\*\\w{3} [ \\d]\\d [\\d:.]+: %SYS-6-LOGGINGHOST_STARTSTOP: Logging to host 127\\.0\\.0\\.1 \\(tcp port ${rsyslog.tcpPort}\\) started - configured by admin from 127\\.0\\.0\\.1$`,
    );
    await expect.poll(() => rsyslog!.lines()[0] ?? '').toMatch(started);
    await expect(row.locator('[data-col="sent"]')).toHaveText(/^[1-9]\d*$/);
    await page.getByLabel('Trap Level', { exact: true }).selectOption('warnings');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('logging-message')).toHaveText('Saved');
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join('.test-results', 'logging-page.png'), fullPage: true });

    // A monitor sees the same servers and figures, with nothing to change.
    await page.getByRole('link', { name: 'User Administration' }).click();
    await page.getByLabel('User Name', { exact: true }).fill('noc');
    await page.getByLabel('Password', { exact: true }).fill('noc-Monitor-Quartz-1');
    await page.getByLabel('Role', { exact: true }).selectOption('monitor');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.locator('[data-testid="user-row"][data-username="noc"]')).toBeVisible();
    const monitorContext = await browser.newContext();
    const monitor = await monitorContext.newPage();
    await logIn(monitor, consoleProcess, 'noc', 'noc-Monitor-Quartz-1', '/administration/logging');
    await expect(monitor.getByRole('table', { name: 'Syslog servers' }).locator('tbody tr')).toContainText('127.0.0.1');
    await expect(monitor.getByLabel('Trap Level', { exact: true })).toBeDisabled();
    await expect(monitor.getByLabel('Trap Level', { exact: true })).toHaveValue('warnings');
    await expect(monitor.getByRole('button', { name: 'Add Server' })).toHaveCount(0);
    expect((await monitor.request.put(`${consoleProcess.url}/api/logging`, { headers: { origin: consoleProcess.url }, data: { hosts: [] } })).status()).toBe(403);
    await monitorContext.close();
  });

  test('Live Progress: the delivery rate and the APs completed during a predownload, then each wave joining during a rolling activation', async ({ page }) => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-e2e-chart-'));
    const fleetFile = path.join(work, 'fleet.json');
    const fleet = Array.from({ length: 16 }, (_, n) => ({
      name: `AP-FLOOR-${String(n + 1).padStart(2, '0')}`,
      mac: `0a00.0030.00${String(n + 1).padStart(2, '0')}`,
      model: n % 2 === 0 ? 'C9120AXI-B' : 'C9105AXI-B',
      imageType: n % 2 === 0 ? 'ap1g7' : 'ap1g8',
      primaryVersion: '17.9.4.27',
      siteTag: `SITE-${(n % 4) + 1}`,
    }));
    fs.writeFileSync(fleetFile, JSON.stringify(fleet));
    // Four slots at 8 Mbit/s per AP: the predownload takes several seconds, long enough to look at.
    consoleProcess = await startConsole({ EWC_FLEET_FILE: fleetFile, EWC_AP_LINK_KBPS: '8000', EWC_MAX_CONCURRENT_PREDOWNLOADS: '4', EWC_RELOAD_MS: '1500' });
    const tftpPort = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output())![1];
    await page.setViewportSize({ width: 1280, height: 900 });
    await logIn(page, consoleProcess, 'admin', ADMIN_PASSWORD, UPGRADE_PAGE);
    await expect(page.getByTestId('ap-row')).toHaveCount(16);

    await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Image Path', { exact: true }).fill(IMAGE_PATH);
    await page.getByLabel('Port', { exact: true }).fill(tftpPort);
    await page.getByRole('button', { name: 'Save & Download' }).click();

    // Mid-run: some APs complete, others still receiving; the figures say it in words too.
    const chart = page.getByTestId('delivery-chart');
    const figures = page.getByTestId('delivery-figures');
    await expect(figures).toContainText(/delivering \d+\.\d+ MB\/s/, { timeout: 60_000 });
    await expect(figures).toContainText(/; ([4-9]|1[0-2]) of 16 APs completed\./, { timeout: 60_000 });
    await expect(chart.getByRole('img', { name: /Delivery rate to APs \(MB\/s\) Delivery rate over time, now \d+\.\d+ MB\/s/ })).toBeVisible();
    await expect(chart.getByRole('img', { name: /Completed predownloading \(APs\) APs that completed their predownload over time, now \d+ of 16\./ })).toBeVisible();
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await page.getByRole('region', { name: 'Live Progress' }).screenshot({ path: path.join('.test-results', 'live-progress-predownload.png') });

    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    await expect(figures).toContainText('; 16 of 16 APs completed.');

    await page.getByLabel('Activation mode').selectOption('rolling');
    await page.getByLabel('Wave size').selectOption('25');
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Activate now' }).click();
    const waveFigures = page.getByTestId('wave-figures');
    await expect(waveFigures).toContainText(/Wave 1: 4 of 4 joined; Wave 2: [1-4] of 4 joined/, { timeout: 60_000 });
    await expect(chart.getByTestId('chart-waves').getByRole('img', { name: /Joined again, per wave \(APs\) APs joined again running the new version, per wave: Wave 1: / })).toBeVisible();
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await page.getByRole('region', { name: 'Live Progress' }).screenshot({ path: path.join('.test-results', 'live-progress-rolling.png') });
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Completed', { timeout: 90_000 });
    await expect(waveFigures).toHaveText('Wave 1: 4 of 4 joined; Wave 2: 4 of 4 joined; Wave 3: 4 of 4 joined; Wave 4: 4 of 4 joined.');
    // Each wave's line ends at the top of its axis, 4 APs (y 8.0 in the chart's viewBox): the last wave's last join is drawn too.
    const lineEnds = () =>
      chart
        .getByTestId('chart-waves')
        .locator('path.chart-line')
        .evaluateAll((paths) => paths.map((line) => /,(-?[\d.]+)$/.exec(line.getAttribute('d') ?? '')?.[1] ?? null));
    await expect.poll(lineEnds).toEqual(['8.0', '8.0', '8.0', '8.0']);
  });
});
