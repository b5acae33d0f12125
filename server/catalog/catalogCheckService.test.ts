import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataDirStore } from '../store/store';
import { EMPTY_PROFILE, type StoredProfile } from '../store/profileRepository';
import { CatalogCheckService, msUntilDaily } from './catalogCheckService';
import { startTestCatalog, tempDir, testAp, testNetwork, TEST_ACCOUNT, type TestCatalog } from './catalogTestKit';

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
    const profile: StoredProfile = { ...EMPTY_PROFILE, cco: { ...EMPTY_PROFILE.cco, catalogUrl: catalog.service.url, username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.key, caCertificate: catalog.certificate.caPem } };
    const lines: string[] = [];
    const deps = { profile: () => profile, aps: () => [testAp('AP-1', 'ap1g8', 'C9130AXI-B')], controllerVersion: () => '17.09.04a.0.6', network: testNetwork(), log: (l: { text: string }) => lines.push(l.text) };
    const store = await openDataDirStore(dir);
    const service = new CatalogCheckService({ ...deps, db: store.db });
    expect(await service.last()).toMatchObject({ checkedAt: null, catalogUrl: catalog.service.url });
    const result = await service.check();
    expect(result.imageTypes[0]).toMatchObject({ imageType: 'ap1g8', latest: { version: '17.15.2.3' } });
    expect(lines).toEqual([`Check for New Version: ${result.message}`]);
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
