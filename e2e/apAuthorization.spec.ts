import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const DEMO_APS = 6;
const REVOKED = { name: '9105-emorenoa', mac: '70f0.96a1.4e20' };

/** A page of another origin (as http://localhost:4444 was in the attack) that tries both the HTTP port's and the AP port's /capwap. */
function attackerSite(httpPort: string, capwapPort: string): Promise<Server> {
  const page = `<!doctype html><title>elsewhere</title><script>
    window.results = {};
    const join = JSON.stringify({ name: 'FAKE', mac: '${REVOKED.mac}', model: 'x', imageType: 'ap1g8', primaryVersion: '17.12.1.5', backupVersion: '', freeSpaceKb: 1, hostsController: true });
    function attempt(key, url) {
      const ws = new WebSocket(url);
      ws.onmessage = (event) => {
        if (String(event.data).startsWith('0')) ws.send('40/capwap,' + join);
        else if (String(event.data).startsWith('4')) { window.results[key] = String(event.data); ws.send('42/capwap,["ap:log","stage Completed"]'); }
      };
      ws.onerror = () => { window.results[key] = window.results[key] ?? 'connection failed'; };
    }
    attempt('httpPort', 'ws://127.0.0.1:${httpPort}/socket.io/?EIO=4&transport=websocket');
    attempt('apPort', 'wss://127.0.0.1:${capwapPort}/socket.io/?EIO=4&transport=websocket');
  </script>`;
  const server = createServer((_req, res) => res.end(page));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test.describe('AP Authorization', () => {
  let consoleProcess: ConsoleProcess;
  let site: Server | null = null;

  test.afterEach(async () => {
    site?.close();
    await consoleProcess?.stop();
  });

  test('an admin sees the enrolled demo APs, revokes one (it is dropped at once) and creates a one-time enrolment token', async ({ page }) => {
    consoleProcess = await startConsole();
    await logIn(page, consoleProcess);
    await page.getByRole('link', { name: 'AP Authorization' }).click();
    await expect(page.getByRole('heading', { name: 'AP Authorization', level: 1 })).toBeVisible();
    const rows = page.getByTestId('ap-authorization-row');
    await expect(rows).toHaveCount(DEMO_APS);
    await expect(page.locator('[data-testid="ap-authorization-row"][data-status="approved"]')).toHaveCount(DEMO_APS);

    const row = page.locator(`[data-testid="ap-authorization-row"][data-mac="${REVOKED.mac}"]`);
    await expect(row.locator('[data-col="name"]')).toHaveText(REVOKED.name);
    await expect(row.locator('[data-col="connected"]')).toHaveText('Yes');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByTestId('ap-authorization-message')).toHaveText(`AP ${REVOKED.mac} revoked: it was dropped and its certificate is refused`);
    await expect(row).toHaveAttribute('data-status', 'revoked');
    await expect(row.locator('[data-col="connected"]')).toHaveText('No');
    const syslog = await (await page.request.get(`${consoleProcess.url}/api/syslog`)).json();
    expect(JSON.stringify(syslog)).toContain(`AP Mac: ${REVOKED.mac} revoked by admin: its certificate is refused`);

    await page.getByLabel('AP MAC Address', { exact: true }).fill('not-a-mac');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByText('must be a MAC address like 2c5a.0f40.6920')).toBeVisible();
    await page.getByLabel('AP MAC Address', { exact: true }).fill('AA:BB:CC:00:11:22');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByTestId('enrolment-token').textContent();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await expect(page.getByTestId('enrolment-token-row').first()).toContainText('for aabb.cc00.1122, by admin: unused');
    await page.screenshot({ path: '.test-results/ap-authorization.png', fullPage: true });
    // Shown once: a reload lists the token without its text.
    await page.reload();
    await expect(page.getByTestId('enrolment-token-row').first()).toContainText('for aabb.cc00.1122');
    expect(await page.content()).not.toContain(token!);
  });

  test('without auto-approval the demo APs wait on the list until an admin approves them', async ({ page }) => {
    consoleProcess = await startConsole({ EWC_AP_AUTO_APPROVE: '0' });
    expect(consoleProcess.output()).toContain('they join once approved under Administration > AP Authorization');
    await logIn(page, consoleProcess, undefined, undefined, '/administration/ap-authorization');
    const waiting = page.locator('[data-testid="ap-authorization-row"][data-status="pending"]');
    await expect(waiting).toHaveCount(DEMO_APS, { timeout: 15_000 });
    await expect(page.getByText(`${DEMO_APS} APs, ${DEMO_APS} waiting for approval`)).toBeVisible();
    const row = page.locator(`[data-testid="ap-authorization-row"][data-mac="${REVOKED.mac}"]`);
    await expect(row.locator('[data-col="connected"]')).toHaveText('No');
    await row.getByRole('button', { name: 'Approve' }).click();
    await expect(row).toHaveAttribute('data-status', 'approved');
    // The AP retries its join every few seconds; the list is read again every five.
    await expect(row.locator('[data-col="connected"]')).toHaveText('Yes', { timeout: 20_000 });
    await expect(row.locator('[data-col="name"]')).toHaveText(REVOKED.name);
    await expect(waiting).toHaveCount(DEMO_APS - 1);
  });

  test('a page of another origin cannot join /capwap: the HTTP port has no such namespace and the AP port wants an AP certificate', async ({ page }) => {
    consoleProcess = await startConsole();
    const httpPort = new URL(consoleProcess.url).port;
    const capwapPort = /AP port \(mutual TLS, enrolment and \/capwap\): https:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output())![1];
    site = await attackerSite(httpPort, capwapPort);
    // The other site in its own tab, closed when done.
    const elsewhere = await page.context().newPage();
    await elsewhere.goto(`http://localhost:${(site.address() as AddressInfo).port}/`);
    await expect
      .poll(() => elsewhere.evaluate(() => (window as unknown as { results: Record<string, string> }).results))
      .toEqual({
        httpPort: '44/capwap,{"message":"Invalid namespace"}',
        apPort: 'connection failed',
      });
    await elsewhere.close();
    await logIn(page, consoleProcess);
    // The console's own page is live: its socket is established before the console is stopped.
    await expect(page.getByTestId('connection')).toHaveText('Live');
    const syslog = JSON.stringify(await (await page.request.get(`${consoleProcess.url}/api/syslog`)).json());
    expect(syslog).not.toContain('stage Completed');
    expect(syslog).not.toContain('FAKE');
  });
});
