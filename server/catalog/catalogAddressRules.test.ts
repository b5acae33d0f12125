import fs from 'node:fs';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogCheckResult } from '../../lib/firmwareCatalog';
import { ADMIN, startConsoleHarness, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { firmwareCheck, type CatalogClientOptions } from './catalogClient';
import { CatalogError } from './catalogError';
import { resolveCatalogHost, type ResolveAll } from './catalogNetwork';
import { startTestCatalog, testAp, testNetwork, TEST_ACCOUNT, TEST_IDENTITY, type TestCatalog } from '../sim/catalog/catalogTestKit';
import { firmwareCheckRequest } from './fleetCheck';

// The catalog URL reaches only what a catalog may be on. Link-local and other refused addresses are
// tested at the validation and resolution steps, before any connection: no test sends a packet
// anywhere but loopback.

/** A resolver that knows a few names: a unit seam standing in for DNS, so no query leaves the machine. */
const names =
  (table: Record<string, string[]>): ResolveAll =>
  async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

let catalog: TestCatalog;
beforeAll(async () => {
  catalog = await startTestCatalog(10_000);
});
afterAll(async () => {
  await catalog.service.close();
  fs.rmSync(catalog.root, { recursive: true, force: true });
});
let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

async function failureOf(promise: Promise<unknown>): Promise<CatalogError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CatalogError);
  return error as CatalogError;
}

const ccoProfile = (catalogUrl: string, mode = 'CCO') => ({ mode, imageServer: '10.0.0.5', imagePath: '/EWC', port: 69, parallelMode: false, cco: { catalogUrl, username: 'noc', password: 'key' } });
const issuesOf = async (h: ConsoleHarness, url: string) => ((await h.instance.api.saveProfile(ccoProfile(url), ADMIN)).body as { issues?: { path: string; message: string }[] }).issues ?? [];

describe('catalog URL rules at Save', () => {
  it('refuses link-local, multicast, reserved and unspecified catalog URLs, in any notation', async () => {
    harness = await startConsoleHarness();
    for (const url of [
      'https://169.254.169.254/latest/meta-data',
      'https://[::ffff:169.254.169.254]/',
      'https://[::ffff:a9fe:a9fe]:8443/',
      'https://[fe80::1]/',
      'https://224.0.0.1/',
      'https://0.0.0.0/',
      'https://[::]/',
      'https://255.255.255.255/',
    ]) {
      expect(
        (await issuesOf(harness, url)).map((issue) => issue.path),
        url,
      ).toContain('cco.catalogUrl');
    }
    // The URL parser reads IPv4 in other notations too: 0xa9.0xfe.0xa9.0xfe is 169.254.169.254.
    expect(await issuesOf(harness, 'https://0xa9.0xfe.0xa9.0xfe/')).toContainEqual({ path: 'cco.catalogUrl', message: expect.stringContaining('169.254.169.254 is a link-local address') });
    expect(await issuesOf(harness, 'https://10.0.0.9:8443/catalog')).toEqual([]);
  });

  it('refuses a loopback catalog unless EWC_CATALOG_ALLOW_LOOPBACK=1, which tests and the demo set', async () => {
    harness = await startConsoleHarness({ EWC_CATALOG_ALLOW_LOOPBACK: '0' });
    for (const url of ['https://127.0.0.1:8443', 'https://localhost:8443', 'https://[::1]:8443', 'https://[::ffff:127.0.0.1]:8443', 'https://2130706433:8443']) {
      expect(await issuesOf(harness, url), url).toEqual([
        { path: 'cco.catalogUrl', message: expect.stringMatching(/ is a loopback address .*EWC_CATALOG_ALLOW_LOOPBACK=1 allows one for tests and demos\)$/) },
      ]);
    }
    await harness.dispose();
    harness = await startConsoleHarness({ EWC_CATALOG_ALLOW_LOOPBACK: '1' });
    expect(await issuesOf(harness, 'https://127.0.0.1:8443')).toEqual([]);
  });
});

describe('catalog URL rules at resolution, before any connection', () => {
  it('refuses a name when any address it resolves to is refused, and answers the checked address otherwise', async () => {
    const resolve = names({
      'metadata.example': ['10.0.0.7', '169.254.169.254'],
      'mirror.example': ['10.0.0.7', 'fd12::7'],
      'sneaky.example': ['::ffff:169.254.169.254'],
      'local.example': ['127.0.0.1'],
    });
    const refused = await failureOf(resolveCatalogHost('metadata.example', { allowLoopback: true, resolve }));
    expect(refused).toMatchObject({
      code: 'refused',
      retryable: false,
      reason: 'metadata.example resolves to 169.254.169.254, a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer: a firmware catalog cannot be there',
    });
    expect((await failureOf(resolveCatalogHost('sneaky.example', { allowLoopback: true, resolve }))).code).toBe('refused');
    expect((await failureOf(resolveCatalogHost('local.example', { allowLoopback: false, resolve }))).reason).toContain('local.example resolves to 127.0.0.1, a loopback address');
    expect(await resolveCatalogHost('mirror.example', { allowLoopback: false, resolve })).toBe('10.0.0.7');
    expect(await failureOf(resolveCatalogHost('nowhere.example', { allowLoopback: false, resolve }))).toMatchObject({ code: 'unreachable', reason: 'Host not found' });
  });

  it('connects to the address it checked, under the name it was given (SNI), and to nothing once refused', async () => {
    const client = (allowLoopback: boolean): CatalogClientOptions => ({
      catalogUrl: `https://catalog.test:${catalog.service.port}`,
      account: TEST_ACCOUNT,
      // The test certificate names 127.0.0.1 and localhost, not catalog.test: trusted by fingerprint, as an admin can.
      trust: { caPem: null, fingerprint: catalog.certificate.fingerprint },
      network: testNetwork({ allowLoopback, resolve: names({ 'catalog.test': ['127.0.0.1'] }) }),
      identity: TEST_IDENTITY,
    });
    const answer = await firmwareCheck(client(true), firmwareCheckRequest([testAp('AP-1', 'ap1g8', 'C9130AXI-B')], 'x'));
    expect(answer.imageTypes[0].latest?.version).toBe('17.15.2.3');
    const before = catalog.service.requests.length;
    expect((await failureOf(firmwareCheck(client(false), firmwareCheckRequest([], 'x')))).code).toBe('refused');
    expect(catalog.service.requests.length).toBe(before);
  });

  it('Check for New Version of a stored loopback catalog, on a console that does not allow one, is refused without a request', async () => {
    harness = await startConsoleHarness({ EWC_CATALOG_ALLOW_LOOPBACK: '0' });
    // Stored while the profile is in TFTP mode, where the CCO fields are not in use.
    expect((await harness.instance.api.saveProfile({ ...ccoProfile(catalog.service.url, 'TFTP') }, ADMIN)).status).toBe(200);
    const before = catalog.service.requests.length;
    const result = (await harness.instance.catalogApi.check()).body as CatalogCheckResult;
    expect(result).toMatchObject({
      ok: false,
      message: `Failed to check for new version at ${catalog.service.url}: 127.0.0.1 is a loopback address (127.0.0.0/8, ::1, localhost): a firmware catalog cannot be there (EWC_CATALOG_ALLOW_LOOPBACK=1 allows one for tests and demos)`,
    });
    expect(catalog.service.requests.length).toBe(before);
  });
});

describe('failures without the remote text', () => {
  it('says "TLS handshake failed" for a service that is not TLS, not what the service or OpenSSL said', async () => {
    const banners = ['SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n', 'HTTP/1.1 400 Bad Request\r\nServer: internal-admin/1.4\r\n\r\n'];
    for (const banner of banners) {
      const service = net.createServer((socket) => socket.once('data', () => socket.end(banner)));
      await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
      const port = (service.address() as net.AddressInfo).port;
      const error = await failureOf(
        firmwareCheck(
          { catalogUrl: `https://127.0.0.1:${port}`, account: TEST_ACCOUNT, trust: { caPem: null, fingerprint: null }, network: testNetwork(), identity: TEST_IDENTITY },
          firmwareCheckRequest([], 'x'),
        ),
      );
      expect(error.reason).toBe('TLS handshake failed');
      await new Promise<void>((resolve) => service.close(() => resolve()));
    }
  });
});
