import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDirStore } from '../store/store';
import { EMPTY_PROFILE, type StoredProfile } from '../store/profileRepository';
import { CatalogCheckService, msUntilDaily } from './catalogCheckService';
import { seedLine } from '../sim/testing/seedText';
import { startTestCatalog, tempDir, testAp, testCaller, testNetwork, TEST_ACCOUNT, type TestCatalog } from '../sim/catalog/catalogTestKit';

describe('msUntilDaily', () => {
  it('is the time to the next HH:MM today, or tomorrow once it has passed', () => {
    const now = new Date(2026, 10, 30, 2, 0, 0);
    expect(msUntilDaily('03:30', now)).toBe(90 * 60_000);
    expect(msUntilDaily('01:00', now)).toBe(23 * 3600_000);
    expect(msUntilDaily('02:00', now)).toBe(24 * 3600_000);
  });
});

describe('CatalogCheckService', () => {
  let catalog: TestCatalog;
  beforeAll(async () => {
    catalog = await startTestCatalog(10_000);
  });
  afterAll(async () => {
    await catalog.service.close();
  });

  it('keeps the last check in the database, across a restart, and logs each one', async () => {
    const dir = tempDir();
    const profile: StoredProfile = {
      ...EMPTY_PROFILE,
      cco: { ...EMPTY_PROFILE.cco, catalogUrl: catalog.service.url, username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.key, caCertificate: catalog.certificate.caPem },
    };
    const lines: string[] = [];
    const steps: string[] = [];
    const deps = {
      profile: () => profile,
      aps: () => [testAp('AP-1', 'ap1g8', 'C9130AXI-B')],
      controllerVersion: () => '17.09.04a.0.6',
      network: testNetwork(),
      caller: testCaller(steps),
      log: (l: { text: string }) => lines.push(l.text),
    };
    const store = await openDataDirStore(dir);
    const service = new CatalogCheckService({ ...deps, db: store.db });
    expect(await service.last()).toMatchObject({ checkedAt: null, catalogUrl: catalog.service.url });
    const result = await service.check();
    expect(result.imageTypes[0]).toMatchObject({ imageType: 'ap1g8', latest: { version: '17.15.2.3' } });
    expect(lines).toEqual([`Check for New Version: ${result.message}`]);
    // One line per step of the exchange, in the words of the seed's awc log (aruba-iap-automatic-upgrade.en.txt):
    // Seed: "awc_init_connection: 2043: connected to", "awc_init_connection: 2175: SSL certificate verification is successful",
    // "… X-Challenge: 4374… X-Session-Id: bc00cd7e-…" (the challenge), "Sent ap info in body 'CJ0080398, 18:64:72:c1:d3:fa, AP-115'",
    // "isc_exit: 603: disconnected  ---->Firmware returned by". Differs: addresses, the identity and what the catalog offers.
    for (const words of ['connected to', 'SSL certificate verification is successful', 'X-Challenge: 4374', "Sent ap info in body 'CJ0080398, 18:64:72:c1:d3:fa, AP-115^M '-", 'Firmware returned by'])
      seedLine(words, 'aruba-iap-automatic-upgrade.en.txt');
    expect(steps).toEqual([
      `connected to 127.0.0.1:${catalog.service.port}`,
      `SSL certificate verification is successful: CN=Test catalog (SHA-256 fingerprint ${catalog.certificate.fingerprint})`,
      expect.stringMatching(/^X-Challenge received, X-Session-Id [A-Za-z0-9_-]{8,}$/),
      "Sent ap info '5D0C3B7A91E2, 6c41.0e16.e79c, C9120AXI-B' in X-Ap-Info (X-Mode EWC, X-Guid ccefd96301942b6e277f607117948cff7d657d1127aa8aaa93), and 1 image type(s) in the body",
      expect.stringMatching(/^Firmware returned for 1 image type\(s\): latest 17\.15\.2\.3, recommended 17\.12\.1\.5 \(X-Status-Code: success, X-Activation-Key: [A-Z2-7]{8}\)$/),
    ]);
    // What the catalog received: the seed's identity headers.
    expect(catalog.service.requests.filter((r) => r.path === '/firmware').at(-1)?.identity).toEqual({
      'x-guid': 'ccefd96301942b6e277f607117948cff7d657d1127aa8aaa93',
      'x-oem-tag': 'Cisco',
      'x-mode': 'EWC',
      'x-factory-default': 'No',
      'x-features': '101',
      'x-ap-info': '5D0C3B7A91E2, 6c41.0e16.e79c, C9120AXI-B',
    });
    await store.close();

    const reopened = await openDataDirStore(dir);
    expect(await new CatalogCheckService({ ...deps, db: reopened.db }).last()).toEqual(result);
    profile.cco.password = 'wrong';
    const failed = await new CatalogCheckService({ ...deps, db: reopened.db }).check();
    expect(failed).toMatchObject({ ok: false, message: `Failed to check for new version at ${catalog.service.url}: Authentication failed`, imageTypes: [] });
    await reopened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
