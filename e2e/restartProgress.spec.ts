import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_IMAGE_PATH, ensureDemoBundle } from '../server/sim/demo/demoBundle';
import { freeTcpPort } from '../server/sim/testing/freeTcpPort';
import { exited, start, waitForOutput, type Child } from '../server/sim/testing/restartFaultInjection';
import { startTftpdHpa, type RunningTftpd } from '../server/sim/testing/tftpdHpa';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const UPGRADE_PAGE = '/administration/software-management/software-upgrade';
const FLEET_APS = 2;
// 400 kbit/s per AP: a scaled image (0.7 to 1.3 MB) takes 13 to 26 s, time enough to stop the console mid-delivery.
const LINK_KBPS = 400;

/** The progress bars of the rows that say Predownloading, in percent. */
async function deliveryPercents(page: Page): Promise<number[]> {
  return page.locator('tr[data-status="Predownloading"] td[data-col="percent"] [role="progressbar"]').evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute('aria-valuenow'))));
}

// A console stopped mid-predownload and started again while its APs are still away (the fleet process stopped
// too): the page shows each AP's last acknowledged count, said as such, not 0 % and not live; once the APs are
// back, the run carries on to the end.
test.describe('a console restarted mid-predownload while its APs are away', () => {
  let tftpd: RunningTftpd;
  let work: string;
  const consoles: ConsoleProcess[] = [];
  let fleet: Child | undefined;

  test.beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-e2e-restart-progress-'));
    ensureDemoBundle(path.join(work, 'tftp'), 'scaled');
    tftpd = await startTftpdHpa({ root: path.join(work, 'tftp') });
  });

  test.afterAll(async () => {
    if (fleet && fleet.process.exitCode === null && fleet.process.signalCode === null) {
      fleet.process.kill('SIGTERM');
      await exited(fleet);
    }
    for (const consoleProcess of consoles) await consoleProcess.stop();
    await tftpd?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('the page says the last acknowledged percent of each AP not back yet, then the run completes once they are', async ({ page }) => {
    test.setTimeout(300_000);
    const dataDir = path.join(work, 'console');
    const webPort = await freeTcpPort();
    const env = {
      EWC_DATA_DIR: dataDir,
      PORT: String(webPort),
      EWC_CAPWAP_PORT: String(await freeTcpPort()),
      EWC_DEMO: '0',
      EWC_AP_AUTO_APPROVE: '1',
      // The generated bundle has no signature manifest.
      EWC_REQUIRE_SIGNED_IMAGES: '0',
      // The resumed run waits for its APs for as long as the test needs.
      EWC_RESUME_WAIT_MS: '600000',
    };
    const url = `http://127.0.0.1:${webPort}`;
    const startFleet = () =>
      start(
        [
          'server/sim/ap/fleetCli.ts',
          '--controller',
          `https://127.0.0.1:${env.EWC_CAPWAP_PORT}`,
          '--count',
          String(FLEET_APS),
          '--data-dir',
          path.join(work, 'fleet'),
          '--link-kbps',
          String(LINK_KBPS),
          '--ca',
          path.join(dataDir, 'pki', 'ca.crt'),
          '--join-token-file',
          path.join(dataDir, 'pki', 'fleet-join-token'),
          '--vendor-keys',
          path.join(dataDir, 'vendor-keys'),
        ],
        {},
      );
    consoles.push(await startConsole(env));
    fleet = startFleet();
    await waitForOutput(fleet, `${FLEET_APS} APs joined https://127.0.0.1:${env.EWC_CAPWAP_PORT}`);

    await logIn(page, { ...consoles[0], url }, 'admin', undefined, UPGRADE_PAGE);
    await expect(page.getByTestId('ap-row')).toHaveCount(FLEET_APS);
    await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Image Path', { exact: true }).fill(DEMO_IMAGE_PATH);
    await page.getByLabel('Port', { exact: true }).fill(String(tftpd.port));
    await page.getByRole('button', { name: 'Save & Download' }).click();
    await expect.poll(async () => (await deliveryPercents(page)).some((percent) => percent >= 20 && percent <= 80), { timeout: 120_000 }).toBe(true);

    expect(await consoles[0].kill('SIGTERM')).toBe(0);
    fleet.process.kill('SIGTERM');
    await exited(fleet);
    consoles.push(await startConsole(env));

    // The same tab reconnects to the restarted console: the APs are away, their rows at what they last acknowledged.
    await expect(page.getByTestId('connection')).toHaveClass(/connection-live/, { timeout: 30_000 });
    await expect(page.locator('tr.ap-row-disconnected')).toHaveCount(FLEET_APS);
    const waiting = page.getByTestId('ap-resume-waiting');
    await expect(waiting.first()).toBeVisible();
    for (const bar of await waiting.all()) {
      await expect(bar).toHaveText(/^Waiting for the AP to rejoin \(last acknowledged [1-9]\d?%\)$/);
      expect(Number(await bar.getByRole('progressbar').getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    }
    await expect(page.locator('tr[data-status="Predownloading"]')).toHaveCount(0);
    await page.screenshot({ path: path.join('.test-results', 'restart-progress-aps-away.png'), fullPage: true });

    fleet = startFleet();
    await expect(page.locator('tr.ap-row-disconnected')).toHaveCount(0, { timeout: 60_000 });
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Activate', { timeout: 180_000 });
    await expect(page.locator('tr[data-status="Complete"]')).toHaveCount(FLEET_APS);
    await expect(page.getByText(/last acknowledged/)).toHaveCount(0);
  });
});
