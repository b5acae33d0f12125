import fs from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { AP_IMAGE_COUNTERS } from '../lib/apImage';
import type { StandbyStatus } from '../server/cluster/nodeLeadership';
import { listenStandby, standbyDoor } from '../server/cluster/standbyPage';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../server/sim/demo/demoBundle';
import { freeTcpPort } from '../server/sim/testing/freeTcpPort';
import { startPostgres, TEST_SECRET_KEY, type PostgresServer } from '../server/sim/testing/postgresServer';
import { exited, start, waitForOutput, type Child } from '../server/sim/testing/restartFaultInjection';
import { startTftpdHpa, type RunningTftpd } from '../server/sim/testing/tftpdHpa';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';

const UPGRADE_PAGE = '/administration/software-management/software-upgrade';
const FLEET_APS = 6;
// 400 kbit/s per AP: the scaled images (0.7 to 1.3 MB) take 13 to 26 s each, time enough to kill A mid-delivery
// (the run delivers one image type after the other, so the whole predownload takes about two minutes).
const LINK_KBPS = 400;

/** The status counters of the page, which together count every AP once. */
async function statusCounters(page: Page): Promise<{ total: number; sum: number; shown: Record<string, number> }> {
  const keys = AP_IMAGE_COUNTERS.map((counter) => counter.key);
  const values = await page.evaluate((all) => all.map((key) => Number(document.querySelector(`[data-testid="summary-${key}"]`)?.textContent)), ['totalAps', ...keys]);
  const [total, ...counts] = values;
  return { total, sum: counts.reduce((a, b) => a + b, 0), shown: Object.fromEntries(keys.map((key, i) => [key, counts[i]]).filter(([, n]) => n !== 0)) };
}

/** The progress bars of the rows that say Predownloading, in percent. */
async function deliveryPercents(page: Page): Promise<number[]> {
  return page.locator('tr[data-status="Predownloading"] td[data-col="percent"] [role="progressbar"]').evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute('aria-valuenow'))));
}

// Between a standby's port closing and its console listening there (the takeover's start-up) a reload of the
// standby page (what a node answers while no node's console answers) meets a refused connection; here the port
// is closed under the page on purpose.
test('a standby page left open keeps asking through a closed port, says nothing answers, and becomes the page the port serves next', async ({ page }) => {
  const port = await freeTcpPort();
  const since = new Date().toISOString();
  const status: StandbyStatus = {
    node: 'B',
    leader: { name: 'A', webUrl: `http://127.0.0.1:${await freeTcpPort()}${UPGRADE_PAGE}`, apUrl: null, cliUrl: null, role: 'leader', startedAt: since, leadingSince: since, lastSeen: since },
    leaderUnseenS: null,
    takeoverWithinS: 3,
    retryAfterS: 1,
    starting: false,
  };
  const standby = await listenStandby(
    createServer(),
    '127.0.0.1',
    port,
    standbyDoor(() => status, { configured: [], listenHost: '127.0.0.1' }, null, null),
  );
  let closeStandby: Promise<void> | null = null;
  const successor = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Software Upgrade</title><h1>Software Upgrade</h1>');
  });
  try {
    await page.goto(`http://127.0.0.1:${port}${UPGRADE_PAGE}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Console node B: standing by');
    closeStandby = standby.close();
    await closeStandby;
    await expect(page.getByText(/^No answer from this console node at .+ \(its console may be starting, or the node stopped\): asking again\.$/)).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Console node B: standing by');
    await new Promise<void>((resolve) => successor.listen(port, '127.0.0.1', resolve));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Software Upgrade');
  } finally {
    await (closeStandby ?? standby.close());
    if (successor.listening) await new Promise((resolve) => successor.close(resolve));
  }
});

// The two-node failover as an engineer would live it: two console nodes on one PostgreSQL database,
// A leading and B forwarding its web port to A, a fleet process whose APs list A then B as their controllers.
// A page opened on B is A's console, live through B: its counters move while A runs the predownload started
// on A's own page. A SIGKILL to A mid-delivery; the same tab on B, left alone, carries on with B's own console
// once B takes the leader lock, and follows the run to the end.
test.describe('two console nodes on PostgreSQL: a page on the other node shows the leader live, and sees the run through after the leader is killed mid-predownload', () => {
  let postgres: PostgresServer;
  let tftpd: RunningTftpd;
  let work: string;
  let a: ConsoleProcess | undefined;
  let b: ConsoleProcess | undefined;
  let fleet: Child | undefined;

  test.beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-e2e-nodes-'));
    ensureDemoBundle(path.join(work, 'tftp'), 'scaled');
    tftpd = await startTftpdHpa({ root: path.join(work, 'tftp') });
    postgres = await startPostgres();
  });

  test.afterAll(async () => {
    if (fleet && fleet.process.exitCode === null && fleet.process.signalCode === null) {
      fleet.process.kill('SIGTERM');
      await exited(fleet);
    }
    await b?.stop();
    await a?.stop();
    await tftpd?.stop();
    await postgres?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test("B's page is A's console through B, live; when A is killed the same tab continues on B: the takeover, the APs back and the run completed", async ({ page, context }) => {
    test.setTimeout(420_000);
    const aCapwapPort = await freeTcpPort();
    let bCapwapPort = await freeTcpPort();
    while (bCapwapPort === aCapwapPort) bCapwapPort = await freeTcpPort();
    const shared = {
      EWC_DATABASE_URL: await postgres.createDatabase(),
      EWC_SECRET_KEY: TEST_SECRET_KEY,
      EWC_LEADER_TIMEOUT_MS: '3000',
      EWC_DEMO: '0',
      EWC_AP_AUTO_APPROVE: '1',
      // The generated bundle has no signature manifest.
      EWC_REQUIRE_SIGNED_IMAGES: '0',
    };
    a = await startConsole({ ...shared, EWC_NODE_NAME: 'A', EWC_CAPWAP_PORT: String(aCapwapPort) });
    b = await startConsole({ ...shared, EWC_NODE_NAME: 'B', EWC_CAPWAP_PORT: String(bCapwapPort) }, { readyWhen: 'node B: standing by' });
    expect(b.output()).toContain('node B: standing by, node A leads');

    // The fleet, primary A and secondary B, trusting the CA and join token that live in the database.
    const pki = path.join(a.dataDir, 'pki');
    fleet = start(
      [
        'server/sim/ap/fleetCli.ts',
        '--controller',
        `https://127.0.0.1:${aCapwapPort},https://127.0.0.1:${bCapwapPort}`,
        '--count',
        String(FLEET_APS),
        '--data-dir',
        path.join(work, 'fleet'),
        '--link-kbps',
        String(LINK_KBPS),
        '--ca',
        path.join(pki, 'ca.crt'),
        '--join-token-file',
        path.join(pki, 'fleet-join-token'),
        '--vendor-keys',
        path.join(a.dataDir, 'vendor-keys'),
      ],
      {},
    );
    await waitForOutput(fleet, `${FLEET_APS} APs joined https://127.0.0.1:${aCapwapPort}`);

    // B's page: a login through B, and A's console with A's fleet, saying it is A's answer through B.
    const onB = page;
    await logIn(onB, b, 'admin', undefined, UPGRADE_PAGE);
    expect(new URL(onB.url()).host).toBe(new URL(b.url).host);
    await expect(onB.getByTestId('ap-row')).toHaveCount(FLEET_APS);
    const api = await onB.request.get(`${b.url}/api/software-upgrade`);
    expect(api.status()).toBe(200);
    expect(api.headers()).toMatchObject({ 'x-ewc-node': 'A', 'x-ewc-via': 'B' });
    const beforeRun = (await statusCounters(onB)).shown;

    // A's own page, with the session made through B (the browser sends 127.0.0.1's cookie to every port).
    const onA = await context.newPage();
    await onA.goto(`${a.url}${UPGRADE_PAGE}`);
    await expect(onA.getByTestId('ap-row')).toHaveCount(FLEET_APS);
    await onA.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    await onA.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
    await onA.getByLabel('Image Path', { exact: true }).fill(DEMO_IMAGE_PATH);
    await onA.getByLabel('Port', { exact: true }).fill(String(tftpd.port));
    await onA.getByRole('button', { name: 'Save & Download' }).click();
    // Mid-delivery, seen live on B's tab (socket.io through B): an AP part-way through its image, and the counters moved.
    await expect.poll(async () => (await deliveryPercents(onB)).some((percent) => percent >= 5 && percent <= 70), { timeout: 120_000 }).toBe(true);
    expect((await statusCounters(onB)).shown).not.toEqual(beforeRun);
    await expect(onB.getByTestId('summary-predownloading')).not.toHaveText('0');
    const killedAt = await deliveryPercents(onB);
    await onB.screenshot({ path: path.join('.test-results', 'several-nodes-a-through-b.png'), fullPage: true });

    const killed = Date.now();
    expect(await a.kill('SIGKILL')).toBeNull();
    // The tab says at once that what it shows is the last known state: its live socket went with A.
    await expect(onB.getByTestId('connection')).toHaveClass(/connection-reconnecting/);
    await b.waitForOutput('node B: takes over from node A');
    await b.waitForOutput('EWC Software Upgrade console:');
    const takeoverMs = Date.now() - killed;

    // The same tab, never navigated by the test: its socket reconnects to B's own console, the session (kept
    // in the database) still valid on B.
    const stageBar = onB.getByTestId('stage-bar');
    await expect(onB.getByTestId('connection')).toHaveClass(/connection-live/, { timeout: 30_000 });
    expect(new URL(onB.url()).pathname).toBe(UPGRADE_PAGE);
    const log = onB.getByTestId('syslog');
    const takeoverLine = onB.getByTestId('syslog-line').filter({ hasText: /Controller node B took over upgrade 1 at stage (Initiate|Controller Image Download|AP Image Download|Network Upgrade)$/ });
    await expect(takeoverLine).toHaveCount(1);
    const pageMs = Date.now() - killed;
    const onItsOwn = await onB.request.get(`${b.url}/api/software-upgrade`);
    expect(onItsOwn.headers()['x-ewc-node']).toBe('B');
    expect(onItsOwn.headers()['x-ewc-via']).toBeUndefined();
    await expect(stageBar).not.toHaveAttribute('data-stage', 'Failed');
    // The APs lost A and joined their secondary, B, by themselves.
    await expect(onB.getByTestId('ap-row')).toHaveCount(FLEET_APS);
    await expect(onB.locator('tr.ap-row-disconnected')).toHaveCount(0, { timeout: 60_000 });
    await expect(log).toContainText(`Joined secondary controller https://127.0.0.1:${bCapwapPort}`);
    await takeoverLine.scrollIntoViewIfNeeded();
    await onB.screenshot({ path: path.join('.test-results', 'several-nodes-mid-run-on-b.png'), fullPage: true });

    await expect(stageBar).toHaveAttribute('data-stage', 'Activate', { timeout: 180_000 });
    const activateS = Math.round((Date.now() - killed) / 1000);
    await expect(onB.locator('tr[data-status="Complete"]')).toHaveCount(FLEET_APS);
    await expect(onB.getByTestId('summary-completedPredownloading')).toHaveText(String(FLEET_APS));
    await expect(onB.getByTestId('summary-failedToPredownload')).toHaveText('0');
    for (const row of await onB.getByTestId('ap-row').all()) await expect(row.locator('td[data-col="backupImage"]')).toContainText(DEMO_BUNDLE_VERSION);

    await onB.getByRole('button', { name: 'Activate' }).click();
    const dialog = onB.getByRole('dialog', { name: `Activate upgrade 1: reload ${FLEET_APS} APs?` });
    await dialog.getByRole('button', { name: 'Activate now' }).click();
    await expect(stageBar).toHaveAttribute('data-stage', 'Completed', { timeout: 180_000 });
    for (const row of await onB.getByTestId('ap-row').all()) await expect(row.locator('td[data-col="primaryImage"]')).toContainText(DEMO_BUNDLE_VERSION);
    const counters = await statusCounters(onB);
    expect(counters.total).toBe(FLEET_APS);
    expect(counters.sum, JSON.stringify(counters.shown)).toBe(FLEET_APS);
    await onB.screenshot({ path: path.join('.test-results', 'several-nodes-completed-on-b.png'), fullPage: true });
    // For whoever reads the screenshots: B's whole log as the page shows it, and B's output.
    fs.writeFileSync('.test-results/several-nodes-syslog.txt', (await onB.getByTestId('syslog-line').allTextContents()).join('\n') + '\n\n' + b.output());
    console.log(
      `A killed with APs at ${killedAt.join(', ')} %; B's console listening ${takeoverMs} ms later, the tab live on B with its takeover line ${pageMs} ms after the kill; ` +
        `Activate ${activateS} s and Completed ${Math.round((Date.now() - killed) / 1000)} s after the kill; counters ${JSON.stringify(counters.shown)}`,
    );
  });
});
