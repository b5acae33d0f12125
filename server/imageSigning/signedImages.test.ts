import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { SyslogLine } from '../../lib/syslog';
import { startFleet, type Fleet } from '../sim/ap/simulatedFleet';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';
import { MANIFEST_FILE, SIGNATURE_FILE } from './imageManifest';
import { apStorageDir } from '../sim/ap/apStorage';

// Three bundles on Debian's tftpd-hpa: signed, signed then changed on the image server, and unsigned.
const vendorKey = generateKeyPairSync('ed25519').privateKey;
let root: string;
let trustDir: string;
let tftpd: { port: number; stop(): Promise<void> };
const FLEET = [DEMO_FLEET[2], DEMO_FLEET[3]]; // ap1g8 and ap1g6

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-signed-'));
  ensureDemoBundle(path.join(root, 'signed'), 'scaled', vendorKey);
  ensureDemoBundle(path.join(root, 'tampered'), 'scaled', vendorKey);
  ensureDemoBundle(path.join(root, 'unsigned'), 'scaled');
  // Changed after signing: same size, one byte different.
  const image = path.join(root, 'tampered', DEMO_IMAGE_PATH, 'ap1g8');
  const fd = fs.openSync(image, 'r+');
  const byte = Buffer.alloc(1);
  fs.readSync(fd, byte, 0, 1, 1000);
  fs.writeSync(fd, Buffer.from([byte[0] ^ 0xff]), 0, 1, 1000);
  fs.closeSync(fd);
  trustDir = path.join(root, 'vendor-keys');
  fs.mkdirSync(trustDir);
  fs.writeFileSync(path.join(trustDir, 'test-vendor.pem'), createPublicKey(vendorKey).export({ type: 'spki', format: 'pem' }));
  tftpd = await startTftpdHpa({ root });
});
afterAll(async () => {
  await tftpd?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

let harness: ConsoleHarness | null = null;
let ownFleet: Fleet | null = null;
afterEach(async () => {
  await ownFleet?.stop();
  ownFleet = null;
  await harness?.dispose();
  harness = null;
});

const signedConsole = () => startConsoleHarness({ EWC_REQUIRE_SIGNED_IMAGES: '1', EWC_VENDOR_KEY_DIR: trustDir, EWC_MAX_RETRIES: '0' });
const profile = (bundle: string) => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: `/${bundle}${DEMO_IMAGE_PATH}`, port: tftpd.port, parallelMode: false });
const apRow = (h: ConsoleHarness, mac: string) => (h.instance.api.getApImage().body as ApImageReport).aps.find((ap) => ap.mac === mac)!;
const syslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map((line) => line.text);
const agentDir = (h: ConsoleHarness, mac: string) => apStorageDir(path.join(h.config.dataDir, 'fleet'), mac);
// Staged (`ap-backup.img`) or partial (`ap.part`, `ap.part.json`) image files in an AP's storage.
const isImageFile = (name: string) => /\.(img|part)(\.json)?$/.test(name);
const finished = (h: ConsoleHarness) =>
  waitFor(
    'the predownload to end',
    () => h.instance.orchestrator.view(),
    (u) => u.stage === 'Activate' || u.stage === 'Failed',
    60_000,
  );

describe('signed images', () => {
  it('delivers a signed bundle; each AP checks its image against the signed manifest and says "Image signing verify success."', async () => {
    harness = await signedConsole();
    await harness.startFleet(FLEET);
    expect((await harness.instance.api.startDownload(profile('signed'), ADMIN)).status).toBe(202);
    expect((await finished(harness)).stage).toBe('Activate');
    for (const ap of FLEET) {
      expect(apRow(harness, ap.mac)).toMatchObject({ predownloadStatus: 'Complete', backupImage: DEMO_BUNDLE_VERSION });
      expect(syslog(harness)).toContain(`${ap.name}: status 'Image signing verify success.'`);
    }
  });

  it('refuses an image changed on the image server after signing: "Image signing verify failed", not a byte delivered, nothing staged', async () => {
    harness = await signedConsole();
    const fleet = await harness.startFleet(FLEET);
    expect((await harness.instance.api.startDownload(profile('tampered'), ADMIN)).status).toBe(202);
    expect((await finished(harness)).stage).toBe('Failed');

    const victim = apRow(harness, FLEET[0].mac);
    expect(victim.predownloadStatus).toBe('Failed');
    expect(victim.lastError).toMatch(/^Image signing verify failed: ap1g8 is \d+ bytes sha256 [0-9a-f]{64}, the signed manifest says \d+ bytes sha256 [0-9a-f]{64}$/);
    expect(victim.backupImage).toBe('17.3.3.26');
    expect(syslog(harness).some((line) => line.includes(`Mac: ${FLEET[0].mac} Image Predownload Failed: Image signing verify failed: ap1g8`))).toBe(true);
    // The AP never saw the image: no staged file, no partial file, its backup slot untouched.
    const dir = agentDir(harness, FLEET[0].mac);
    expect(fs.readdirSync(dir).filter(isImageFile)).toEqual([]);
    expect(fleet.agents[0].images.backupVersion).toBe('17.3.3.26');
    // The other image type of the same bundle verified and was staged.
    expect(apRow(harness, FLEET[1].mac)).toMatchObject({ predownloadStatus: 'Complete', backupImage: DEMO_BUNDLE_VERSION });
    expect(fs.existsSync(path.join(agentDir(harness, FLEET[1].mac), 'ap-backup.img'))).toBe(true);
  });

  it('refuses every image of an unsigned bundle while EWC_REQUIRE_SIGNED_IMAGES is on, before any AP is offered a byte', async () => {
    expect(fs.existsSync(path.join(root, 'signed', DEMO_IMAGE_PATH, MANIFEST_FILE))).toBe(true);
    expect(fs.existsSync(path.join(root, 'unsigned', DEMO_IMAGE_PATH, SIGNATURE_FILE))).toBe(false);
    harness = await signedConsole();
    await harness.startFleet(FLEET);
    expect((await harness.instance.api.startDownload(profile('unsigned'), ADMIN)).status).toBe(202);
    expect((await finished(harness)).stage).toBe('Failed');
    const refusal = `Image signing verify failed: the bundle has no signature manifest (${MANIFEST_FILE} and ${SIGNATURE_FILE}); EWC_REQUIRE_SIGNED_IMAGES=ask holds an unsigned bundle until an administrator trusts its files, 0 accepts it on SHA-256 only`;
    expect(syslog(harness)).toContain(refusal);
    for (const ap of FLEET) {
      expect(apRow(harness, ap.mac)).toMatchObject({ predownloadStatus: 'Failed', lastError: refusal, backupImage: '17.3.3.26' });
      expect(fs.readdirSync(agentDir(harness, ap.mac)).filter(isImageFile)).toEqual([]);
    }
    // Not a byte reached an AP: the browser never saw a percentage above zero.
    expect([...harness.browser.percentsSeen.values()].flat().every((percent) => percent === 0)).toBe(true);
  });

  it('an AP refuses to stage an image whose manifest its own vendor keys do not verify, and says so in its log', async () => {
    harness = await signedConsole();
    const h = harness;
    const otherVendor = createPublicKey(generateKeyPairSync('ed25519').privateKey);
    ownFleet = await startFleet({
      controllerUrls: [h.capwapUrl],
      trust: { caCertPem: fs.readFileSync(path.join(h.instance.trust.pkiDir, 'ca.crt'), 'utf8'), enrolmentToken: h.instance.trust.joinToken },
      vendorKeys: [otherVendor],
      aps: [FLEET[0]],
      storageRoot: path.join(h.config.dataDir, 'fleet'),
      linkKbps: 0,
      reloadMs: 200,
    });
    expect((await h.instance.api.startDownload(profile('signed'), ADMIN)).status).toBe(202);
    expect((await finished(h)).stage).toBe('Failed');
    const row = apRow(h, FLEET[0].mac);
    expect(row.lastError).toBe('Image signing verify failed: the manifest signature does not verify with a trusted vendor key');
    expect(syslog(h)).toContain(`${FLEET[0].name}: status 'Image signing verify failed: the manifest signature does not verify with a trusted vendor key'`);
    expect(fs.readdirSync(agentDir(h, FLEET[0].mac)).filter(isImageFile)).toEqual([]);
    expect(ownFleet.agents[0].images.backupVersion).toBe('17.3.3.26');
  });
});
