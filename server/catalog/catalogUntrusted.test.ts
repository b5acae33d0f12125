import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { SyslogLine } from '../../lib/syslog';
import type { FleetAp } from '../sim/ap/fleetSpec';
import { renderShowLogging } from '../cli/render/showLogging';
import { httpsDownload } from '../imageSource/httpsDownload';
import { ImageFetchError } from '../imageSource/imageSource';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { CatalogError } from './catalogError';
import { startScriptedCatalog, tempDir, TEST_ACCOUNT, testNetwork, type ScriptedCatalog } from '../sim/catalog/catalogTestKit';

// Everything a catalog says is untrusted text, and a catalog cannot hold a download forever.

const FORGED = 'bad request\n*Feb  1 17:05:37.108: %FAKE-5-INJECTED: Chassis 1 R0/0: admin logged out\u202e';

const ap = (name: string, mac: string): FleetAp => ({
  name,
  mac,
  model: 'C9130AXI-B',
  imageType: 'ap1g8',
  primaryVersion: '17.9.4.27',
  backupVersion: '17.3.3.26',
  freeSpaceKb: 400_000,
  hostsController: false,
});
const FLEET = [ap('AP-A', '70f0.96a1.0301')];

let harness: ConsoleHarness | null = null;
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await harness?.dispose();
  harness = null;
  for (const server of servers.splice(0)) await server.close();
});

const syslog = (h: ConsoleHarness) => h.instance.api.getSyslog().body as SyslogLine[];
const apRow = (h: ConsoleHarness) => (h.instance.api.getApImage().body as ApImageReport).aps[0];
const ccoProfile = (url: string, caPem: string) => ({
  mode: 'CCO',
  parallelMode: false,
  cco: { catalogUrl: url, username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.key, release: 'recommended', caCertificate: caPem.trim() },
});
const finished = (h: ConsoleHarness) =>
  waitFor(
    'the predownload to end',
    () => h.instance.orchestrator.view(),
    (u) => u.stage === 'Activate' || u.stage === 'Failed',
    60_000,
  );

/** A firmware-check answer offering one release of ap1g8 whose image is `image` (size and SHA-256 as announced). */
function oneRelease(image: { url: string; size: number; sha256: string }) {
  const file = (name: string) => ({ name, ...image });
  const release = { version: '17.12.1.5', controllerVersion: '17.12.01.0.5', image: file('ap1g8'), controllerImage: file('C9800-AP-iosxe-wlc.bin'), signedManifest: null };
  return { imageTypes: [{ imageType: 'ap1g8', latest: release, recommended: release, releases: [release] }] };
}

async function scripted(answer: Parameters<typeof startScriptedCatalog>[0], certificate?: ScriptedCatalog['certificate']): Promise<ScriptedCatalog> {
  const started = await startScriptedCatalog(answer, certificate);
  servers.push(started);
  return started;
}

async function predownloadFrom(catalogUrl: string, caPem: string, env: Record<string, string> = {}) {
  harness = await startConsoleHarness({ EWC_MAX_RETRIES: '0', ...env });
  await harness.startFleet(FLEET);
  expect((await harness.instance.api.startDownload(ccoProfile(catalogUrl, caPem), ADMIN)).status).toBe(202);
  await finished(harness);
  return harness;
}

describe("a catalog's text in the log", () => {
  it('shows a catalog error with a line break and U+202E as one escaped line: show logging holds no forged line', async () => {
    const hostile = await scripted(() => ({ status: 400, body: { error: FORGED } }));
    harness = await startConsoleHarness();
    await harness.instance.api.saveProfile(ccoProfile(hostile.url, hostile.certificate.caPem), ADMIN);
    const result = (await harness.instance.catalogApi.check()).body as { message: string };
    expect(result.message).toBe(
      `Failed to check for new version at ${hostile.url}: The catalog answered 400: bad request\\n*Feb  1 17:05:37.108: %FAKE-5-INJECTED: Chassis 1 R0/0: admin logged out\\u202e`,
    );
    const shown = renderShowLogging(syslog(harness), harness.instance.logging.view()).join('\n').split('\n');
    expect(shown.filter((line) => line.includes('%FAKE-5-INJECTED'))).toEqual([
      expect.stringMatching(/^\*\w{3} [ \d]\d \d\d:\d\d:\d\d\.\d{3}: %UPGRADE-3-AP_SW_UPDATE_ERROR: Check for New Version: Failed/),
    ]);
    expect(shown.some((line) => line.includes('\u202e'))).toBe(false);
  });

  it('escapes an image server or HTTPS server error text by the same rule', () => {
    expect(new ImageFetchError(`Access violation${FORGED}`, false).reason).toBe('Access violationbad request\\n*Feb  1 17:05:37.108: %FAKE-5-INJECTED: Chassis 1 R0/0: admin logged out\\u202e');
    expect(new CatalogError('protocol', FORGED).reason).not.toMatch(/[\n\u202e]/);
  });
});

describe('transfer limits and what a catalog may announce', () => {
  it('fails an image served at a crawl (a byte every 50 ms: never idle) with Too slow, instead of Downloading forever', async () => {
    const image = randomBytes(300_000);
    const sha256 = createHash('sha256').update(image).digest('hex');
    const crawling = await scripted((pathname, url) =>
      pathname === '/firmware' ? { status: 200, body: oneRelease({ url: `${url}/files/ap1g8`, size: image.length, sha256 }) } : { status: 200, body: image, drip: true },
    );
    const h = await predownloadFrom(crawling.url, crawling.certificate.caPem, { EWC_CATALOG_TIMEOUT_MS: '1000', EWC_CATALOG_MIN_BYTES_PER_SECOND: '1000' });
    expect(h.instance.orchestrator.view().stage).toBe('Failed');
    expect(apRow(h).lastError).toMatch(new RegExp(`^Failed to download file ${crawling.url}/firmware/recommended/ap1g8: Too slow: \\d+ bytes in 1 s, less than the minimum of 1000 bytes/s$`));
  });

  it('ends a download that is neither idle nor too slow once it passes the overall deadline, keeping what it has', async () => {
    const image = randomBytes(300_000);
    const sha256 = createHash('sha256').update(image).digest('hex');
    const crawling = await scripted(() => ({ status: 200, body: image, drip: true }));
    const destination = path.join(tempDir(), 'ap1g8');
    const download = httpsDownload({
      url: `${crawling.url}/files/ap1g8`,
      destination,
      size: image.length,
      sha256,
      trust: { caPem: crawling.certificate.caPem, fingerprint: null },
      network: testNetwork({ timeoutMs: 1000, deadlineMs: 2000 }),
    });
    const error = await download.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'timeout', reason: 'Timed out: not finished within 2 s', retryable: true });
    expect(fs.statSync(destination).size).toBeGreaterThan(0);
  });

  it('refuses an announced size beyond EWC_UPLOAD_MAX_BYTES before asking for a byte of it', async () => {
    const hostile = await scripted((pathname, url) =>
      pathname === '/firmware' ? { status: 200, body: oneRelease({ url: `${url}/files/ap1g8`, size: 2 ** 52, sha256: 'a'.repeat(64) }) } : { status: 404, body: { error: 'no' } },
    );
    const h = await predownloadFrom(hostile.url, hostile.certificate.caPem, { EWC_UPLOAD_MAX_BYTES: String(64 * 1024 * 1024) });
    expect(apRow(h)).toMatchObject({ predownloadStatus: 'Failed' });
    expect(apRow(h).lastError).toContain(`The catalog announces ap1g8 at ${2 ** 52} bytes, more than the 67108864 bytes this console accepts (EWC_UPLOAD_MAX_BYTES)`);
    expect(hostile.requests.filter((p) => p.startsWith('/files/'))).toEqual([]);
  });

  it("fetches image URLs on the catalog's own origin only, unless EWC_CATALOG_IMAGE_ORIGINS lists another", async () => {
    const image = randomBytes(100_000);
    const sha256 = createHash('sha256').update(image).digest('hex');
    const mirror = await scripted(() => ({ status: 200, body: image }));
    const catalog = await scripted(
      (pathname) => (pathname === '/firmware' ? { status: 200, body: oneRelease({ url: `${mirror.url}/files/ap1g8`, size: image.length, sha256 }) } : { status: 404, body: { error: 'no' } }),
      mirror.certificate,
    );

    const refused = await predownloadFrom(catalog.url, catalog.certificate.caPem);
    expect(apRow(refused).lastError).toContain(`The catalog's URL for ap1g8 is on ${mirror.url}, not on the catalog's own ${catalog.url} (EWC_CATALOG_IMAGE_ORIGINS allows other origins)`);
    expect(mirror.requests).toEqual([]);
    await refused.dispose();
    harness = null;

    const allowed = await predownloadFrom(catalog.url, catalog.certificate.caPem, { EWC_CATALOG_IMAGE_ORIGINS: mirror.url });
    expect(apRow(allowed)).toMatchObject({ predownloadStatus: 'Complete', backupImage: '17.12.1.5' });
    expect(mirror.requests).toContain('/files/ap1g8');
  });
});
