import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const IMAGE_PATH = '/EWC/17_12_1_5';
const NEW_VERSION = '17.12.1.5';
const OLD_VERSION = '17.9.4.27';

/** The AP half of an image cell, which reads as the seed writes it: `17.9.4.27 / NA`, or `… /17.09.04a.0.6` on the controller's AP. */
function apHalf(version: string): RegExp {
  return new RegExp(`^${version.replace(/\./g, '\\.')} ?/`);
}

// Eight APs over two site tags, one of which fails its reload, and the AP that hosts the controller.
const FAILING = 'AP-EAST-3';
const fleet = [
  ...['WEST', 'EAST'].flatMap((site) =>
    [1, 2, 3, 4].map((n) => ({
      name: `AP-${site}-${n}`,
      mac: `0a00.00${site === 'WEST' ? '10' : '20'}.000${n}`,
      model: 'C9120AXI-B',
      imageType: 'ap1g7',
      primaryVersion: OLD_VERSION,
      siteTag: `SITE-${site}`,
      ...(`AP-${site}-${n}` === FAILING ? { failReload: true } : {}),
    })),
  ),
  {
    name: 'AP-CONTROLLER',
    mac: '0a00.00ff.0001',
    model: 'C9120AXI-B',
    imageType: 'ap1g7',
    primaryVersion: OLD_VERSION,
    hostsController: true,
    controllerPrimaryVersion: '17.09.04a.0.6',
    controllerBackupVersion: '17.09.04a.0.6',
    siteTag: 'SITE-WEST',
  },
];

test.describe('Rolling activation', () => {
  let consoleProcess: ConsoleProcess;
  let fleetFile: string;

  test.afterEach(async () => {
    await consoleProcess?.stop();
    fs.rmSync(path.dirname(fleetFile), { recursive: true, force: true });
  });

  test('the page shows the waves one after the other, pauses on a failed wave, resumes, and the controller AP goes last', async ({ page }) => {
    fleetFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-e2e-fleet-')), 'fleet.json');
    fs.writeFileSync(fleetFile, JSON.stringify(fleet));
    // APs stay away 3 s per reload, so each wave is visibly under way before the next starts.
    consoleProcess = await startConsole({ EWC_FLEET_FILE: fleetFile, EWC_RELOAD_MS: '3000' });
    const tftpPort = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output())![1];
    await logIn(page, consoleProcess);
    await expect(page.getByTestId('ap-row')).toHaveCount(fleet.length);
    await expect(page.locator(`tr[data-ap-name="AP-EAST-1"]`).getByTestId('ap-site-tag')).toHaveText('SITE-EAST');

    await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Image Path', { exact: true }).fill(IMAGE_PATH);
    await page.getByLabel('Port', { exact: true }).fill(tftpPort);
    await page.getByRole('button', { name: 'Save & Download' }).click();
    const bar = page.getByTestId('stage-bar');
    await expect(bar).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });

    await page.getByLabel('Activation mode').selectOption('rolling');
    await page.getByLabel('Wave size').selectOption('25');
    await page.getByRole('button', { name: 'Activate' }).click();
    // The confirmation's waves are the planner's: the same numbers the rollout then runs.
    const dialog = page.getByRole('dialog', { name: 'Activate upgrade 1: reload 9 APs?' });
    await expect(dialog).toContainText(
      '9 APs reload in 5 waves of 2, 2, 2, 2, 1 (rolling, 25 % of the APs per wave) and boot 17.12.1.5; each wave starts once the one before has joined again, and the rollout pauses when more than 0 % of a wave fails.',
    );
    await expect(dialog).toContainText('The AP that hosts the controller reloads in the last wave');
    await dialog.screenshot({ path: path.join('.test-results', 'confirm-activate-rolling.png') });
    await dialog.getByRole('button', { name: 'Activate now' }).click();
    await expect(bar).toHaveAttribute('data-stage', 'Reload');

    // 8 APs at 25 %: four waves of two, then the controller's AP alone.
    const waves = page.getByTestId('wave');
    await expect(waves).toHaveCount(5);
    await expect(waves.nth(4)).toContainText('1 AP(s)');
    // Each wave is seen reloading while the next one still waits; a failed wave pauses the rollout.
    let pausedAfter = -1;
    for (let index = 0; index < 5; index += 1) {
      if (pausedAfter < 0) {
        await expect(waves.nth(index)).toHaveAttribute('data-state', 'reloading', { timeout: 30_000 });
        if (index < 4) await expect(waves.nth(index + 1)).toHaveAttribute('data-state', 'pending');
        await expect(page.getByTestId('wave-member').first()).toBeVisible();
        await expect(waves.nth(index)).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
        if (
          await waves
            .nth(index)
            .getByText(/[1-9]\d* failed/)
            .count()
        )
          pausedAfter = index;
        continue;
      }
      if (index === pausedAfter + 1) {
        await expect(page.getByTestId('rollout-paused')).toContainText('more than the error threshold of 0 %');
        await expect(waves.nth(index)).toHaveAttribute('data-state', 'pending');
        await expect(page.getByTestId('wave-next')).toHaveText(`Wave ${index + 1} waits for Resume`);
        await page.screenshot({ path: path.join('.test-results', 'rolling-activation-paused.png'), fullPage: true });
        await page.getByRole('button', { name: 'Resume' }).click();
        await expect(page.getByTestId('rollout-paused')).toHaveCount(0);
      }
      await expect(waves.nth(index)).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    }
    expect(pausedAfter).toBeGreaterThanOrEqual(0);
    expect(pausedAfter).toBeLessThan(4);

    await expect(bar).toHaveAttribute('data-stage', 'Failed', { timeout: 30_000 });
    await expect(page.getByTestId('upgrade-message')).toHaveText(`1 AP(s) did not come back running ${NEW_VERSION}`);
    await expect(page.locator(`tr[data-ap-name="${FAILING}"] td[data-col="primaryImage"]`)).toHaveText(apHalf(OLD_VERSION));
    await expect(page.locator('tr[data-ap-name="AP-CONTROLLER"] td[data-col="primaryImage"]')).toHaveText(apHalf(NEW_VERSION));
    await expect(page.locator('tr[data-ap-name="AP-WEST-1"] td[data-col="primaryImage"]')).toHaveText(apHalf(NEW_VERSION));
    await page.screenshot({ path: path.join('.test-results', 'rolling-activation-done.png'), fullPage: true });

    const upgrade = await (await page.request.get(`${consoleProcess.url}/api/software-upgrade`)).json();
    expect(upgrade.strategy).toBe('rolling');
    expect(upgrade.waves.at(-1).aps).toEqual(['0a00.00ff.0001']);

    // The history lists it, opened with its five waves.
    await page.getByRole('link', { name: 'Upgrade History' }).click();
    await expect(page.getByTestId('history-row')).toHaveCount(1);
    await expect(page.getByTestId('history-row')).toContainText('Rolling');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByTestId('history-wave')).toHaveCount(5);
  });

  test('Save & Download to one site tag leaves the other untouched; an AP excluded from activation keeps its old version', async ({ page }) => {
    fleetFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-e2e-fleet-')), 'fleet.json');
    fs.writeFileSync(fleetFile, JSON.stringify(fleet.filter((ap) => !('failReload' in ap))));
    consoleProcess = await startConsole({ EWC_FLEET_FILE: fleetFile });
    const tftpPort = /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output())![1];
    await logIn(page, consoleProcess);
    await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Image Path', { exact: true }).fill(IMAGE_PATH);
    await page.getByLabel('Port', { exact: true }).fill(tftpPort);
    await page.getByLabel('Site tags (comma-separated)').fill('SITE-EAST');
    await page.getByRole('button', { name: 'Save & Download' }).click();
    const bar = page.getByTestId('stage-bar');
    await expect(bar).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    await expect(page.locator('tr[data-status="Complete"]')).toHaveCount(3);
    for (const name of ['AP-WEST-1', 'AP-WEST-4', 'AP-CONTROLLER']) await expect(page.locator(`tr[data-ap-name="${name}"]`)).toHaveAttribute('data-status', 'None');

    const excluded = page.locator('tr[data-ap-name="AP-EAST-2"]');
    await excluded.getByRole('button', { name: 'Exclude from activation' }).click();
    await expect(excluded.getByTestId('ap-excluded')).toBeVisible();
    await page.getByRole('button', { name: 'Activate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Activate upgrade 1: reload 2 APs?' });
    await expect(dialog).toContainText('1 AP excluded from activation keeps 17.12.1.5 as backup image and does not reload.');
    await dialog.getByRole('button', { name: 'Activate now' }).click();
    await expect(bar).toHaveAttribute('data-stage', 'Completed', { timeout: 60_000 });
    await expect(page.locator('tr[data-ap-name="AP-EAST-1"] td[data-col="primaryImage"]')).toHaveText(apHalf(NEW_VERSION));
    await expect(excluded.locator('td[data-col="primaryImage"]')).toHaveText(apHalf(OLD_VERSION));
    await expect(excluded.locator('td[data-col="backupImage"]')).toHaveText(apHalf(NEW_VERSION));
    await expect(page.locator('tr[data-ap-name="AP-WEST-1"] td[data-col="primaryImage"]')).toHaveText(apHalf(OLD_VERSION));
  });
});
