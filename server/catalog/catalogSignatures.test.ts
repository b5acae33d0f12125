import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { SyslogLine } from '../../lib/syslog';
import type { FleetAp } from '../sim/ap/fleetSpec';
import { DEMO_BUNDLE_VERSION, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTestCatalog, tempDir, TEST_ACCOUNT, type TestCatalog } from '../sim/catalog/catalogTestKit';
import { startDemoCatalog, type DemoCatalog } from '../sim/demo/demoCatalog';
import { apStorageDir } from '../sim/ap/apStorage';

// Images from a catalog obey the signature rule that images from an image server obey: the catalog
// serves each release's vendor signature manifest, the console verifies it before delivery and each
// AP again before staging. A TLS connection to a trusted catalog is no signature.

const ap = (name: string, mac: string, imageType: string): FleetAp => ({
  name,
  mac,
  model: 'C9130AXI-B',
  imageType,
  primaryVersion: '17.9.4.27',
  backupVersion: '17.3.3.26',
  freeSpaceKb: 400_000,
  hostsController: false,
});
const FLEET = [ap('AP-A', '70f0.96a1.0101', 'ap1g8'), ap('AP-B', '70f0.96a1.0102', 'ap1g7')];

let harness: ConsoleHarness | null = null;
let catalog: TestCatalog | null = null;
let demo: { catalog: DemoCatalog; dir: string } | null = null;
afterEach(async () => {
  await harness?.dispose();
  await catalog?.service.close();
  if (catalog) fs.rmSync(catalog.root, { recursive: true, force: true });
  await demo?.catalog.service.close();
  if (demo) fs.rmSync(demo.dir, { recursive: true, force: true });
  harness = catalog = demo = null;
});

/** A folder of trusted vendor keys holding `key`'s public half, as EWC_VENDOR_KEY_DIR. */
function trustedKeyDir(key: KeyObject): string {
  const dir = tempDir('ewc-vendor-keys-');
  fs.writeFileSync(path.join(dir, 'vendor.pem'), createPublicKey(key).export({ type: 'spki', format: 'pem' }));
  return dir;
}

const ccoProfile = (url: string, caPem: string, account = TEST_ACCOUNT) => ({
  mode: 'CCO',
  parallelMode: false,
  cco: { catalogUrl: url, username: account.username, password: account.key, release: 'recommended', caCertificate: caPem.trim() },
});
const rows = (h: ConsoleHarness) => (h.instance.api.getApImage().body as ApImageReport).aps;
const syslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map((line) => line.text);
const imageFiles = (h: ConsoleHarness, mac: string) => fs.readdirSync(apStorageDir(path.join(h.config.dataDir, 'fleet'), mac)).filter((name) => /\.(img|part)(\.json)?$/.test(name));
const finished = (h: ConsoleHarness) =>
  waitFor(
    'the predownload to end',
    () => h.instance.orchestrator.view(),
    (u) => u.stage === 'Activate' || u.stage === 'Failed',
    60_000,
  );

async function predownload(env: Record<string, string>, vendorKey?: KeyObject, trusted: KeyObject = generateKeyPairSync('ed25519').privateKey) {
  catalog = await startTestCatalog(300_000, undefined, vendorKey);
  harness = await startConsoleHarness({ EWC_VENDOR_KEY_DIR: trustedKeyDir(trusted), EWC_MAX_RETRIES: '0', ...env });
  await harness.startFleet(FLEET);
  expect((await harness.instance.api.startDownload(ccoProfile(catalog.service.url, catalog.certificate.caPem), ADMIN)).status).toBe(202);
  return { h: harness, upgrade: await finished(harness) };
}

describe('CCO images and the signature rule (EWC_REQUIRE_SIGNED_IMAGES=1)', () => {
  it('refuses a trusted catalog that serves random bytes with a matching SHA-256 and no signature: every AP fails, nothing is staged', async () => {
    const { h, upgrade } = await predownload({ EWC_REQUIRE_SIGNED_IMAGES: '1' });
    expect(upgrade.stage).toBe('Failed');
    const refusal =
      'Image signing verify failed: the bundle has no signature manifest (image-manifest.json and image-manifest.json.sig); EWC_REQUIRE_SIGNED_IMAGES=ask holds an unsigned bundle until an administrator trusts its files, 0 accepts it on SHA-256 only';
    for (const { mac } of FLEET) {
      expect(rows(h).find((row) => row.mac === mac)).toMatchObject({ predownloadStatus: 'Failed', lastError: refusal, backupImage: '17.3.3.26' });
      expect(imageFiles(h, mac)).toEqual([]);
    }
    expect(syslog(h)).toContain(refusal);
    expect(syslog(h).filter((line) => /verify success/i.test(line))).toEqual([]);
  });

  it('refuses a release whose manifest is signed by a key the console does not trust', async () => {
    const { h, upgrade } = await predownload({ EWC_REQUIRE_SIGNED_IMAGES: '1' }, generateKeyPairSync('ed25519').privateKey);
    expect(upgrade.stage).toBe('Failed');
    for (const { mac } of FLEET) {
      expect(rows(h).find((row) => row.mac === mac)).toMatchObject({
        predownloadStatus: 'Failed',
        lastError: 'Image signing verify failed: the manifest signature does not verify with a trusted vendor key',
      });
      expect(imageFiles(h, mac)).toEqual([]);
    }
    expect(syslog(h).filter((line) => /verify success/i.test(line))).toEqual([]);
  });

  it('delivers a release signed by a trusted vendor key: the console and each AP say "Image signing verify success"', async () => {
    const vendorKey = generateKeyPairSync('ed25519').privateKey;
    const { h, upgrade } = await predownload({ EWC_REQUIRE_SIGNED_IMAGES: '1' }, vendorKey, vendorKey);
    expect(upgrade.stage).toBe('Activate');
    for (const { name, mac } of FLEET) {
      expect(rows(h).find((row) => row.mac === mac)).toMatchObject({ predownloadStatus: 'Complete', backupImage: '17.12.1.5' });
      expect(syslog(h)).toContain(`${name}: status 'Image signing verify success.'`);
      expect(syslog(h)).toContain(`Chassis 1 R0/0: wncd: AP Event: AP Name: ${name} Mac: ${mac} Image Predownload Success: 17.12.1.5, Image signing verify success`);
    }
  });

  it('the demo catalog signs its releases with the demo vendor key: the recommended release predownloads and activates', async () => {
    const vendorKey = generateKeyPairSync('ed25519').privateKey;
    const dir = tempDir('ewc-demo-signed-');
    demo = { dir, catalog: await startDemoCatalog(dir, ensureDemoBundle(path.join(dir, 'demo-image-server'), 'scaled', vendorKey), 0, 'scaled', vendorKey) };
    harness = await startConsoleHarness({ EWC_REQUIRE_SIGNED_IMAGES: '1', EWC_VENDOR_KEY_DIR: trustedKeyDir(vendorKey), EWC_MAX_RETRIES: '0' });
    const fleet = DEMO_FLEET.slice(0, 3);
    await harness.startFleet(fleet);
    const { cco } = demo.catalog;
    expect((await harness.instance.api.startDownload({ mode: 'CCO', parallelMode: false, cco: { ...cco, password: cco.password ?? '' } }, ADMIN)).status).toBe(202);
    expect((await finished(harness)).stage).toBe('Activate');
    for (const { name } of fleet) expect(syslog(harness)).toContain(`${name}: status 'Image signing verify success.'`);

    expect((await harness.instance.api.activate(ADMIN)).status).toBe(202);
    const h = harness;
    await waitFor(
      'the network reload',
      () => h.instance.orchestrator.view(),
      (u) => u.stage === 'Completed' || u.stage === 'Failed',
      60_000,
    );
    expect(h.instance.orchestrator.view()).toMatchObject({ stage: 'Completed', targetVersion: DEMO_BUNDLE_VERSION });
    for (const row of rows(h)) expect(row.primaryImage).toBe(DEMO_BUNDLE_VERSION);
  });
});

describe('what the log says when no signature was verified (EWC_REQUIRE_SIGNED_IMAGES=0)', () => {
  it('an unsigned release is delivered with the SHA-256 check only, and every line says exactly that', async () => {
    const { h, upgrade } = await predownload({ EWC_REQUIRE_SIGNED_IMAGES: '0' });
    expect(upgrade.stage).toBe('Activate');
    for (const { name, mac } of FLEET) {
      expect(syslog(h)).toContain(`${name}: status 'Image verify success (SHA-256 only: the bundle is not signed).'`);
      expect(syslog(h)).toContain(`Chassis 1 R0/0: wncd: AP Event: AP Name: ${name} Mac: ${mac} Image Predownload Success: 17.12.1.5, Image verify success (SHA-256 only: the bundle is not signed)`);
    }
    expect(syslog(h).filter((line) => /signing verify success/i.test(line))).toEqual([]);
  });
});

describe('a catalog release without a signature under EWC_REQUIRE_SIGNED_IMAGES=ask (the default)', () => {
  it("is held like an image server's bundle until an admin trusts its files, then delivered on that trust", async () => {
    catalog = await startTestCatalog(300_000);
    harness = await startConsoleHarness({ EWC_REQUIRE_SIGNED_IMAGES: 'ask', EWC_MAX_RETRIES: '0' });
    const h = harness;
    await h.startFleet(FLEET);
    expect((await h.instance.api.startDownload(ccoProfile(catalog.service.url, catalog.certificate.caPem), ADMIN)).status).toBe(202);
    const held = await waitFor(
      'the release to be held',
      () => h.instance.orchestrator.view(),
      (u) => u.bundleApproval !== null || u.stage === 'Failed' || u.stage === 'Activate',
      60_000,
    );
    expect(held.bundleApproval).toMatchObject({ path: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/firmware\/recommended$/), files: [{ name: 'ap1g7' }, { name: 'ap1g8' }] });
    for (const { mac } of FLEET) expect(imageFiles(h, mac)).toEqual([]);
    const files = held.bundleApproval!.files.map(({ name, sha256 }) => ({ name, sha256 }));
    expect((await h.instance.imageTrustApi.approveBundle({ files }, ADMIN)).status).toBe(200);
    expect((await finished(h)).stage).toBe('Activate');
    for (const { name } of FLEET) expect(syslog(h)).toContain(`${name}: status 'Image verify success (SHA-256 trusted by admin: the image is not signed).'`);
    expect(syslog(h).filter((line) => /signing verify success/i.test(line))).toEqual([]);
  });

  it('refuses a release whose manifest no trusted vendor key verifies: that is no question for an admin', async () => {
    const { h, upgrade } = await predownload({ EWC_REQUIRE_SIGNED_IMAGES: 'ask' }, generateKeyPairSync('ed25519').privateKey);
    expect(upgrade).toMatchObject({ stage: 'Failed', bundleApproval: null });
    for (const { mac } of FLEET) expect(rows(h).find((row) => row.mac === mac)?.lastError).toBe('Image signing verify failed: the manifest signature does not verify with a trusted vendor key');
  });
});
