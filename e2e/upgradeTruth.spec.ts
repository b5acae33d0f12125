import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const BUNDLE_VERSION = '17.12.1.5';
const FLEET_VERSION = '17.9.4.27';
const LATEST = '17.18.1.2';

function tftpPortOf(consoleProcess: ConsoleProcess): string {
  const match = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output());
  if (!match) throw new Error(`No demo TFTP server in the console output:\n${consoleProcess.output()}`);
  return match[1];
}

async function saveAndDownloadTftp(page: Page, imagePath: string, port: string): Promise<void> {
  await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
  await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
  await page.getByLabel('Image Path', { exact: true }).fill(imagePath);
  await page.getByLabel('Port', { exact: true }).fill(port);
  await page.getByRole('button', { name: 'Save & Download' }).click();
}

test.describe('what a run says is what happened', () => {
  let consoleProcess: ConsoleProcess;
  let fleetDir: string | null = null;

  test.afterEach(async () => {
    await consoleProcess?.stop();
    if (fleetDir) fs.rmSync(fleetDir, { recursive: true, force: true });
    fleetDir = null;
  });

  test('the history page: a superseded upgrade ends, a cancelled one counts its failed APs, a partial CCO release says which APs run it', async ({ page }) => {
    consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '40000' });
    const port = tftpPortOf(consoleProcess);
    // A bundle whose version files are there but no image is: every AP fails and waits for its retry.
    const noImages = path.join(consoleProcess.dataDir, 'demo-image-server', 'EWC', 'no-images');
    fs.mkdirSync(noImages, { recursive: true });
    fs.writeFileSync(path.join(noImages, 'version.info'), `${BUNDLE_VERSION}\n`);
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('connection')).toHaveText('Live');
    const bar = page.getByTestId('stage-bar');

    // 1 waits at Activate, then 2 replaces it; 2's APs all fail, and it is cancelled.
    await saveAndDownloadTftp(page, '/EWC/17_12_1_5', port);
    await expect(bar).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    await saveAndDownloadTftp(page, '/EWC/no-images', port);
    await expect(page.locator('tr[data-status="Failed"]')).toHaveCount(6, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel the predownload' }).click();
    await expect(bar).toHaveAttribute('data-stage', 'Cancelled');
    // The rows still say they failed, and why.
    await expect(page.locator('tr[data-status="Failed"]')).toHaveCount(6);

    // 3: the demo catalog's latest release has no image for the Wave 2 APs (ap3g3, ap1g4).
    await page.getByLabel('Mode', { exact: true }).selectOption('CCO');
    await page.getByLabel('Release', { exact: true }).selectOption('latest');
    await page.getByRole('button', { name: 'Save & Download' }).click();
    await expect(bar).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Activate now' }).click();
    await expect(bar).toHaveAttribute('data-stage', 'Completed', { timeout: 60_000 });
    const outcome = `4 of 6 APs run ${LATEST}; 2 not supported by the release still run ${FLEET_VERSION}`;
    // The stage panel says it of the APs that run it, not of the network.
    await expect(page.getByTestId('upgrade-stage')).toHaveText('Completed on 4 of 6 APs');
    await expect(page.getByTestId('upgrade-message')).toContainText(outcome);
    await expect(page.getByTestId('upgrade-message')).not.toContainText('Network running');

    await page.goto(`${consoleProcess.url}/administration/software-management/upgrade-history`);
    const row = (id: number) => page.locator(`tr[data-testid="history-row"][data-id="${id}"]`);
    await expect(row(1).getByTestId('history-result')).toHaveText('Superseded by upgrade 2');
    await expect(row(1).getByTestId('history-duration')).not.toHaveText('—');
    await expect(row(2).getByTestId('history-result')).toHaveText('Cancelled');
    await expect(row(2).getByTestId('history-failed')).toHaveText('6');
    await expect(row(3).getByTestId('history-result')).toHaveText('Completed on 4 of 6 APs');
    await row(3).getByRole('button', { name: 'Open' }).click();
    await expect(page.getByTestId('history-detail-message')).toContainText(outcome);
    await row(1).getByRole('button', { name: 'Open' }).click();
    await expect(page.getByTestId('history-detail-message')).toContainText('Superseded by upgrade 2');
    await expect(page.getByTestId('history-detail-ended')).not.toHaveText('—');
    const csv = await (await page.request.get(`${consoleProcess.url}/api/upgrades/export`)).text();
    expect(csv).toContain('"Completed on 4 of 6 APs"');
    expect(csv).toContain('"Superseded by upgrade 2"');
    expect(csv).not.toContain('Network running');
  });

  test('Save & Download of the version APs already run asks first, naming the backup image each one loses', async ({ page }) => {
    fleetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-e2e-fleet-'));
    const fleetFile = path.join(fleetDir, 'fleet.json');
    const ap = (name: string, mac: string, imageType: string, primaryVersion: string, backupVersion: string) => ({
      name,
      mac,
      model: 'C9130AXI-B',
      imageType,
      primaryVersion,
      backupVersion,
      freeSpaceKb: 400_000,
    });
    fs.writeFileSync(
      fleetFile,
      JSON.stringify([
        ap('AP-RUNNING-1', '70f0.96a1.0011', 'ap1g8', BUNDLE_VERSION, FLEET_VERSION),
        ap('AP-RUNNING-2', '70f0.96a1.0012', 'ap1g7', BUNDLE_VERSION, '17.3.3.26'),
        ap('AP-OLD', '70f0.96a1.0013', 'ap1g8', FLEET_VERSION, '17.3.3.26'),
      ]),
    );
    consoleProcess = await startConsole({ EWC_FLEET_FILE: fleetFile, EWC_AP_LINK_KBPS: '40000' });
    const port = tftpPortOf(consoleProcess);
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('ap-row')).toHaveCount(3);

    await saveAndDownloadTftp(page, '/EWC/17_12_1_5', port);
    const dialog = page.getByTestId('backup-replace-dialog');
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('backup-replace-summary')).toContainText(`2 APs already run ${BUNDLE_VERSION}`);
    await expect(page.getByTestId('backup-replace-aps').locator('li')).toHaveText([`AP-RUNNING-1 loses ${FLEET_VERSION}`, 'AP-RUNNING-2 loses 17.3.3.26']);
    // The first choice keeps them: nothing starts.
    await expect(dialog.getByRole('button', { name: 'Keep backup images' })).toBeFocused();
    await dialog.getByRole('button', { name: 'Keep backup images' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('action-message')).toContainText('Backup images kept');
    expect(await (await page.request.get(`${consoleProcess.url}/api/upgrades`)).json()).toEqual([]);
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Idle');

    await page.getByRole('button', { name: 'Save & Download' }).click();
    await dialog.getByRole('button', { name: 'Replace 2 backup images' }).click();
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    await expect(page.locator('tr[data-ap-name="AP-RUNNING-1"] td[data-col="backupImage"]')).toContainText(BUNDLE_VERSION);
    await expect(page.getByTestId('syslog')).toContainText(`replacing the backup image of 2 AP(s) that already run ${BUNDLE_VERSION}`);
  });
});
