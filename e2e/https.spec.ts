import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { AdminPki } from '../server/sim/testing/adminCertificates';
import { logIn, startConsole, type ConsoleProcess } from './consoleProcess';
import { browserTrusting } from './nssTrust';

const DEMO_APS = 6;

/** The SHA-256 fingerprint a fresh TLS connection to this URL is shown, checked against `ca`. */
function servedFingerprint(url: string, ca: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: Number(port), ca }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

function printedFingerprint(consoleProcess: ConsoleProcess): string {
  const match = /HTTPS: https:\/\/127\.0\.0\.1:\d+\S* \(certificate SHA-256 ([0-9A-F:]{95}),/.exec(consoleProcess.output());
  if (!match) throw new Error(`No HTTPS line in the console output:\n${consoleProcess.output()}`);
  return match[1];
}

function tftpPortOf(consoleProcess: ConsoleProcess): string {
  return /demo TFTP image server: tftp:\/\/127\.0\.0\.1:(\d+)/.exec(consoleProcess.output())![1];
}

test.describe('the console over HTTPS, in a Chromium that trusts its CA', () => {
  let consoleProcess: ConsoleProcess;
  let closeBrowser: (() => Promise<void>) | null = null;

  test.afterEach(async () => {
    await closeBrowser?.();
    await consoleProcess?.stop();
  });

  async function openPage(caFiles: string[]): Promise<Page> {
    const trusted = await browserTrusting(caFiles);
    closeBrowser = trusted.close;
    // No ignoreHTTPSErrors: a certificate Chromium does not accept fails the navigation.
    return (await trusted.browser.newContext()).newPage();
  }

  test('pages, API and the live socket work as over HTTP, with the Secure session cookie', async () => {
    consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '40000' });
    const caFile = path.join(consoleProcess.dataDir, 'pki', 'ca.crt');
    const ca = fs.readFileSync(caFile, 'utf8');
    expect(await servedFingerprint(consoleProcess.httpsUrl, ca)).toBe(printedFingerprint(consoleProcess));
    // Without the console's CA in its trust store, Chromium refuses the page: the trust below is what lets it in.
    const stranger = await browserTrusting([]);
    await expect((await stranger.browser.newPage()).goto(`${consoleProcess.httpsUrl}/login`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
    await stranger.close();
    const page = await openPage([caFile]);
    const https = { ...consoleProcess, url: consoleProcess.httpsUrl };

    await logIn(page, https);
    await expect(page).toHaveURL(`${consoleProcess.httpsUrl}/administration/software-management/software-upgrade`);
    await expect(page.getByTestId('connection')).toHaveText('Live');
    await expect(page.getByTestId('ap-row')).toHaveCount(DEMO_APS);
    const cookies = await page.context().cookies();
    expect(cookies.map((c) => [c.name, c.secure, c.httpOnly, c.sameSite])).toEqual([['__Host-ewc_session', true, true, 'Strict']]);
    // The page's API calls over HTTPS, with the cookie the browser holds.
    const api = await page.evaluate(async () => {
      const reply = await fetch('/api/ap-image');
      return { csp: reply.headers.get('content-security-policy'), report: await reply.json() };
    });
    expect(api.report.summary.totalAps).toBe(DEMO_APS);
    expect(api.csp).toContain("default-src 'self'");

    // A predownload started on the HTTPS page moves live on it, batch by batch, to the end.
    await page.getByLabel('Mode', { exact: true }).selectOption('TFTP');
    await page.getByLabel('Image Server', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Image Path', { exact: true }).fill('/EWC/17_12_1_5');
    await page.getByLabel('Port', { exact: true }).fill(tftpPortOf(consoleProcess));
    await page.getByRole('button', { name: 'Save & Download' }).click();
    await expect(page.getByTestId('summary-predownloadInProgress')).toHaveText('Yes');
    await expect(page.getByTestId('stage-bar')).toHaveAttribute('data-stage', 'Activate', { timeout: 90_000 });
    await expect(page.getByTestId('summary-completedPredownloading')).toHaveText(String(DEMO_APS));
    await page.screenshot({ path: path.join('.test-results', 'https-after-predownload.png'), fullPage: true });

    // The HTTPS session is not a plain-HTTP one: the browser does not send it there, and the console would not take it.
    await page.goto(`${consoleProcess.url}/administration/software-management/software-upgrade`);
    await expect(page).toHaveURL(/\/login\?next=/);
  });

  test("the admin's own certificate is served, and replaced on SIGHUP while the page stays live", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-e2e-admin-tls-'));
    const pki = new AdminPki(path.join(dir, 'pki'));
    const first = pki.issue('first');
    const certFile = path.join(dir, 'console.crt');
    const keyFile = path.join(dir, 'console.key');
    fs.copyFileSync(first.key, keyFile);
    fs.copyFileSync(first.cert, certFile);
    consoleProcess = await startConsole({ EWC_TLS_CERT: certFile, EWC_TLS_KEY: keyFile });
    const ca = fs.readFileSync(pki.caCert, 'utf8');
    const fingerprint = (file: string) => new X509Certificate(fs.readFileSync(file)).fingerprint256;
    expect(printedFingerprint(consoleProcess)).toBe(fingerprint(first.cert));
    const page = await openPage([pki.caCert]);
    await logIn(page, { ...consoleProcess, url: consoleProcess.httpsUrl });
    await expect(page.getByTestId('connection')).toHaveText('Live');

    const second = pki.issue('second');
    fs.copyFileSync(second.key, keyFile);
    fs.copyFileSync(second.cert, certFile);
    consoleProcess.signal('SIGHUP');
    // The file watch may have got there first; either way SIGHUP is answered, and the console lives on.
    await expect.poll(() => consoleProcess.output()).toMatch(/HTTPS certificate (reloaded|unchanged) \(SIGHUP\): (still serving )?SHA-256/);
    expect(await servedFingerprint(consoleProcess.httpsUrl, ca)).toBe(fingerprint(second.cert));
    // The page kept its connection and its live socket through the reload.
    await expect(page.getByTestId('connection')).toHaveText('Live');
    await page.reload();
    await expect(page.getByTestId('connection')).toHaveText('Live');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
