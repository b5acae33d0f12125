import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Upload } from 'tus-js-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { SyslogLine } from '../../lib/syslog';
import type { FleetAp } from '../sim/ap/fleetSpec';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';

// A Desktop upload carries no vendor signature: with EWC_REQUIRE_SIGNED_IMAGES=1 it is delivered only
// after an admin explicitly trusted its SHA-256, a decision kept with the profile's settings, recorded
// in the audit trail and the syslog, and looked up again at each delivery.

const ap = (name: string, mac: string): FleetAp => ({
  name,
  mac,
  model: 'C9105AXI-B',
  imageType: 'ap1g8',
  primaryVersion: '17.9.4.27',
  backupVersion: '17.3.3.26',
  freeSpaceKb: 400_000,
  hostsController: false,
});
const FLEET = [ap('AP-9105-A', '70f0.96a1.0201'), ap('AP-9105-B', '70f0.96a1.0202')];
const VERSION = '17.15.2.3';

let harness: ConsoleHarness | null = null;
let uploadServer: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (uploadServer ? uploadServer.close(() => resolve()) : resolve()));
  await harness?.dispose();
  harness = uploadServer = null;
});

/** The console's tus endpoint on a port of its own (server/main.ts puts it in front of Next.js the same way), and one upload through it. */
async function uploadImage(h: ConsoleHarness, data: Buffer, fileName: string): Promise<string> {
  uploadServer = createServer((req, res) => void h.instance.uploads.handle(req, res));
  await new Promise<void>((resolve) => uploadServer!.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(uploadServer.address() as AddressInfo).port}/api/uploads`;
  return new Promise((resolve, reject) => {
    const tus = new Upload(data, { endpoint, chunkSize: 256 * 1024, metadata: { filename: fileName }, onError: reject, onSuccess: () => resolve((tus.url ?? '').split('/').pop()!) });
    tus.start();
  });
}

const profile = (uploadId: string) => ({ mode: 'DESKTOP', parallelMode: false, desktop: { uploadId, version: VERSION } });
const syslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map((line) => line.text);

describe('Desktop (HTTP) uploads and the signature rule', () => {
  it('refuses to download an untrusted upload with a clear message; once an admin trusts its SHA-256 it is delivered, and the lines say so', async () => {
    harness = await startConsoleHarness({ EWC_REQUIRE_SIGNED_IMAGES: '1', EWC_MAX_RETRIES: '0' });
    const h = harness;
    await h.startFleet(FLEET);
    const image = randomBytes(400_000);
    const sha256 = createHash('sha256').update(image).digest('hex');
    const uploadId = await uploadImage(h, image, `AIR-AP1G8-K9-${VERSION}.bin`);

    const refused = await h.instance.api.startDownload(profile(uploadId), ADMIN);
    expect(refused.status).toBe(400);
    expect((refused.body as { issues: unknown[] }).issues).toEqual([
      {
        path: 'desktop.uploadId',
        message: `An uploaded image is not signed: compare its SHA-256 ${sha256} with the one its vendor publishes, then press Trust this image (EWC_REQUIRE_SIGNED_IMAGES=ask or 1 delivers only signed or trusted images)`,
      },
    ]);
    expect(h.instance.orchestrator.view().stage).toBe('Idle');

    // The digest must be the one the admin compared: another is refused, not trusted.
    expect(await h.instance.imageTrustApi.trustUpload({ uploadId, sha256: '0'.repeat(64) }, ADMIN)).toEqual({
      status: 409,
      body: {
        error: `The uploaded image's SHA-256 is ${sha256}, not ${'0'.repeat(64)}: compare it again before trusting it`,
        code: 'uploadDigestMismatch',
        params: { actual: sha256, given: '0'.repeat(64) },
      },
    });
    const trusted = await h.instance.imageTrustApi.trustUpload({ uploadId, sha256 }, ADMIN);
    expect(trusted).toMatchObject({ status: 200, body: { uploadId, sha256, trust: { trustedBy: 'admin', trustedAt: expect.any(String) } } });
    const audit = (await h.instance.auth.audit.recent()).filter((entry) => entry.action === 'image.trust');
    expect(audit.map((entry) => entry.detail)).toEqual([`Desktop image AIR-AP1G8-K9-${VERSION}.bin (400000 bytes) sha256 ${sha256}`]);
    expect(syslog(h).some((line) => line.startsWith(`Image trust: admin trusted the unsigned Desktop image AIR-AP1G8-K9-${VERSION}.bin (400000 bytes) sha256 ${sha256}`))).toBe(true);

    expect((await h.instance.api.startDownload(profile(uploadId), ADMIN)).status).toBe(202);
    await waitFor(
      'the predownload to end',
      () => h.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(h.instance.orchestrator.view().stage).toBe('Activate');
    for (const { name, mac } of FLEET) {
      expect((h.instance.api.getApImage().body as ApImageReport).aps.find((row) => row.mac === mac)).toMatchObject({ predownloadStatus: 'Complete', backupImage: VERSION });
      expect(syslog(h)).toContain(`${name}: status 'Image verify success (SHA-256 trusted by admin: the image is not signed).'`);
      expect(syslog(h)).toContain(
        `Chassis 1 R0/0: wncd: AP Event: AP Name: ${name} Mac: ${mac} Image Predownload Success: ${VERSION}, Image verify success (SHA-256 trusted by admin: the image is not signed)`,
      );
    }
    expect(syslog(h).filter((line) => /signing verify success/i.test(line))).toEqual([]);
  });
});
