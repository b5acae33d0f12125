import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../server/sim/demo/demoBundle';
import { startTftpdHpa } from '../server/sim/testing/tftpdHpa';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const UPGRADE_PAGE = '/administration/software-management/software-upgrade';
const DEMO_APS = 6;
const MONITOR = { username: 'noc', password: 'noc-Monitor-Quartz-1' };

// A vendor bundle as an engineer unzips it onto a TFTP server: no signature manifest. With the default
// EWC_REQUIRE_SIGNED_IMAGES (ask) the page shows each file's size and SHA-256 and asks an admin to trust
// them once; a monitor sees the question but cannot answer it.
test.describe('an unsigned bundle on tftpd-hpa, trusted once in the page', () => {
  let consoleProcess: ConsoleProcess;
  let root: string;
  let tftpd: { port: number; stop(): Promise<void> };

  test.beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-e2e-unsigned-'));
    ensureDemoBundle(root, 'scaled');
    tftpd = await startTftpdHpa({ root });
  });

  test.afterAll(async () => {
    await consoleProcess?.stop();
    await tftpd?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the stage panel lists each file with its digest, a monitor cannot trust them, the admin trusts them once and every AP predownloads', async ({ page, browser }) => {
    consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '40000', EWC_MAX_RETRIES: '0' });
    await logIn(page, consoleProcess, 'admin', undefined, UPGRADE_PAGE);
    await page.getByRole('link', { name: 'User Administration' }).click();
    await page.getByLabel('User Name', { exact: true }).fill(MONITOR.username);
    await page.getByLabel('Password', { exact: true }).fill(MONITOR.password);
    await page.getByLabel('Role', { exact: true }).selectOption('monitor');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.locator(`[data-testid="user-row"][data-username="${MONITOR.username}"]`)).toBeVisible();
    await page.goto(`${consoleProcess.url}${UPGRADE_PAGE}`);

    await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Image Path', { exact: true }).fill(DEMO_IMAGE_PATH);
    await page.getByLabel('Port', { exact: true }).fill(String(tftpd.port));
    await page.getByRole('button', { name: 'Save & Download' }).click();

    const request = page.getByTestId('bundle-approval');
    await expect(request).toBeVisible({ timeout: 60_000 });
    const bundleUrl = `tftp://127.0.0.1:${tftpd.port}${DEMO_IMAGE_PATH}`;
    await expect(request.getByTestId('bundle-approval-path')).toHaveText(bundleUrl);
    const api = await (await page.request.get(`${consoleProcess.url}/api/software-upgrade`)).json();
    expect(api.bundleApproval.path).toBe(bundleUrl);
    // Every file the fleet needs, each with the size and SHA-256 of the file on the server, as the page shows them.
    const names: string[] = api.bundleApproval.files.map((file: { name: string }) => file.name);
    expect(names).toContain('C9800-AP-iosxe-wlc.bin');
    for (const name of names) {
      const bytes = fs.readFileSync(path.join(root, DEMO_IMAGE_PATH, name));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect(api.bundleApproval.files).toContainEqual({ name, size: bytes.length, sha256 });
      const row = request.locator(`tr[data-file="${name}"]`);
      await expect(row.locator('td[data-col="size"]')).toHaveText(String(bytes.length));
      await expect(row.locator('td[data-col="sha256"]')).toHaveText(sha256);
    }
    await request.screenshot({ path: path.join('.test-results', 'bundle-approval.png') });
    // Nothing delivered: the bar waits at the first delivery, the controller image for the AP that hosts the controller.
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'ControllerImageDownload');
    await expect(page.getByTestId('summary-completedPredownloading')).toHaveText('0');
    // Each AP's row says why it receives nothing, rather than a bare 0 %.
    await expect(page.getByTestId('ap-held')).toHaveCount(DEMO_APS);
    await expect(page.getByTestId('ap-held').first()).toHaveText("Held: waiting for an administrator to trust the bundle's files");

    // The monitor sees the same question, without the button, and the API refuses its answer.
    const monitorContext = await browser.newContext();
    const monitor = await monitorContext.newPage();
    await logIn(monitor, consoleProcess, MONITOR.username, MONITOR.password, UPGRADE_PAGE);
    await expect(monitor.getByTestId('bundle-approval')).toContainText('Waiting for an administrator to trust these files.');
    await expect(monitor.getByTestId('bundle-approval').getByRole('button')).toHaveCount(0);
    const files = api.bundleApproval.files.map(({ name, sha256 }: { name: string; sha256: string }) => ({ name, sha256 }));
    const refused = await monitor.request.post(`${consoleProcess.url}/api/software-upgrade/approve-bundle`, { headers: { origin: consoleProcess.url }, data: { files } });
    expect(refused.status()).toBe(403);

    await request.getByRole('button', { name: 'Trust and continue' }).click();
    await expect(page.getByTestId('bundle-approval')).toHaveCount(0);
    await expect(monitor.getByTestId('bundle-approval')).toHaveCount(0);
    await expect(page.getByTestId('ap-held')).toHaveCount(0);
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    await expect(page.locator('tr[data-status="Complete"]')).toHaveCount(DEMO_APS);
    for (const row of await page.getByTestId('ap-row').all()) await expect(row.locator('td[data-col="backupImage"]')).toContainText(DEMO_BUNDLE_VERSION);
    const log = page.getByTestId('syslog');
    await expect(log).toContainText(`Image trust: admin trusted the unsigned bundle ${bundleUrl}: `);
    await expect(log).toContainText('Image verify success (SHA-256 trusted by admin: the image is not signed)');
    await expect(log).not.toContainText('signing verify success');
    await monitorContext.close();

    // Trusted once: the same bundle again goes straight through.
    await page.getByRole('button', { name: 'Save & Download' }).click();
    await expect
      .poll(async () => (await (await page.request.get(`${consoleProcess.url}/api/software-upgrade`)).json()) as { upgradeId: number; stage: string; bundleApproval: unknown }, { timeout: 90_000 })
      .toMatchObject({ upgradeId: 2, stage: 'Activate', bundleApproval: null });
    await expect(page.getByTestId('bundle-approval')).toHaveCount(0);
    const audit = await (await page.request.get(`${consoleProcess.url}/api/audit/export`)).text();
    // One decision, one audit line per file it trusted, none for the second run.
    expect(audit.match(/ image\.trust unsigned bundle /g)).toHaveLength(names.length);
  });
});
