import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { syslogLineText, type SyslogLine } from '../../lib/syslog';
import type { FleetAp } from '../sim/ap/fleetSpec';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startCuttingRelay, startTestCatalog, TEST_ACCOUNT, type TestCatalog } from '../sim/catalog/catalogTestKit';
import { apStorageDir } from '../sim/ap/apStorage';

const IMAGE_BYTES = 3_000_000;
const CUT_AT = 1_200_000;

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

let harness: ConsoleHarness | null = null;
let catalog: TestCatalog | null = null;
let relay: { close: () => Promise<void> } | null = null;
afterEach(async () => {
  await harness?.dispose();
  await relay?.close();
  await catalog?.service.close();
  if (catalog) fs.rmSync(catalog.root, { recursive: true, force: true });
  harness = catalog = relay = null;
});

function ccoProfile(catalogUrl: string, release: string) {
  return {
    mode: 'CCO',
    parallelMode: false,
    cco: { catalogUrl, username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.key, release, caCertificate: catalog!.certificate.caPem.trim() },
  };
}

const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const syslog = (h: ConsoleHarness) => h.instance.api.getSyslog().body as { text: string }[];

describe('CCO predownload through the console, from a catalog with a certificate of another CA', () => {
  it('resumes an image cut mid-download with Range, fetching no byte twice, and delivers it verified', async () => {
    // The relay in front of the catalog cuts the first connection that carries more than CUT_AT bytes.
    const target = { host: '127.0.0.1', port: 0 };
    const cutting = await startCuttingRelay(target, CUT_AT);
    relay = cutting;
    catalog = await startTestCatalog(IMAGE_BYTES, `https://127.0.0.1:${cutting.port}`);
    target.port = catalog.service.port;
    harness = await startConsoleHarness({ EWC_RETRY_BASE_MS: '100', EWC_CATALOG_TIMEOUT_MS: '5000' });
    await harness.startFleet([ap('AP-A', '70f0.96a1.0001', 'ap1g8'), ap('AP-B', '70f0.96a1.0002', 'ap1g8')]);

    expect((await harness.instance.api.startDownload(ccoProfile(catalog.service.url, 'recommended'), ADMIN)).status).toBe(202);
    await waitFor(
      'stage Activate',
      () => harness!.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(harness.instance.orchestrator.view()).toMatchObject({ stage: 'Activate', targetVersion: '17.12.1.5', targetControllerVersion: '17.12.01.0.5' });

    const served = catalog.service.requests.filter((r) => r.path === '/files/17.12.1.5/ap1g8');
    expect(served).toHaveLength(2);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(served[1].range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(served[1]).toMatchObject({ status: 206, bytesSent: IMAGE_BYTES - resumedAt });
    expect(
      syslog(harness)
        .map((l) => l.text)
        .join('\n'),
    ).toContain(`resumed at byte ${resumedAt}`);
    const published = await sha256OfFile(path.join(catalog.root, '17.12.1.5', 'ap1g8'));
    for (const mac of ['70f0.96a1.0001', '70f0.96a1.0002']) {
      expect(await sha256OfFile(path.join(apStorageDir(path.join(harness.config.dataDir, 'fleet'), mac), 'ap-backup.img'))).toBe(published);
    }
    expect(report(harness).aps.map((a) => a.predownloadStatus)).toEqual(['Complete', 'Complete']);
  });

  it('marks the APs of an image type the chosen release lacks Not Supported, and the others complete', async () => {
    catalog = await startTestCatalog(50_000);
    harness = await startConsoleHarness({ EWC_CATALOG_TIMEOUT_MS: '5000' });
    await harness.startFleet([ap('AP-NEW', '70f0.96a1.0003', 'ap1g8'), ap('AP-OLD', '2c5a.0f40.0004', 'ap3g3')]);

    expect((await harness.instance.api.startDownload(ccoProfile(catalog.service.url, 'latest'), ADMIN)).status).toBe(202);
    await waitFor(
      'the end of the predownload',
      () => harness!.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    const byName = Object.fromEntries(report(harness).aps.map((a) => [a.name, a]));
    expect(byName['AP-NEW']).toMatchObject({ predownloadStatus: 'Complete', backupImage: '17.15.2.3' });
    expect(byName['AP-OLD']).toMatchObject({ predownloadStatus: 'NotSupported', lastError: "The catalog's release 17.15.2.3 has no image for ap3g3" });
    expect(
      syslog(harness)
        .map((l) => l.text)
        .join('\n'),
    ).toContain('AP Name: AP-OLD Mac: 2c5a.0f40.0004 Image type ap3g3 not supported: The catalog');
    // The APs the release covers can be activated: a Not Supported AP does not hold the network back.
    expect(harness.instance.orchestrator.view().stage).toBe('Activate');
  });

  it("checks for firmware as the Aruba seed's IAP does: the controller's identity in the headers, one log line per step", async () => {
    catalog = await startTestCatalog(50_000);
    harness = await startConsoleHarness({ EWC_CATALOG_TIMEOUT_MS: '5000' });
    const host: FleetAp = { ...ap('AP6C41.0E16.E79C', '6c41.0e16.e79c', 'ap1g7'), model: 'C9120AXI-B', hostsController: true, controllerPrimaryVersion: '17.09.04a.0.6' };
    await harness.startFleet([host, ap('AP-NEW', '70f0.96a1.0003', 'ap1g8')]);
    expect((await harness.instance.api.startDownload(ccoProfile(catalog.service.url, 'recommended'), ADMIN)).status).toBe(202);
    await waitFor(
      'the end of the predownload',
      () => harness!.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );

    // The request's identity: the AP that hosts the controller (its certificate's serial, its MAC and model), X-Mode EWC, this controller's X-Guid.
    const serial = (await harness.instance.trust.authorization(host.mac))!.certSerial;
    const caDer = new X509Certificate(fs.readFileSync(path.join(harness.instance.trust.pkiDir, 'ca.crt'))).raw;
    const guid = createHash('sha256').update(caDer).digest('hex').slice(0, 50);
    const checks = catalog.service.requests.filter((r) => r.path === '/firmware');
    expect(checks).toHaveLength(1);
    expect(checks[0].identity).toEqual({
      'x-guid': guid,
      'x-oem-tag': 'Cisco',
      'x-mode': 'EWC',
      'x-factory-default': 'No',
      'x-features': harness.config.unsignedImages === 'refuse' ? '111' : '101',
      'x-ap-info': `${serial}, 6c41.0e16.e79c, C9120AXI-B`,
    });
    // One line per step, in show logging, as the seed's awc log has (aruba-iap-automatic-upgrade.en.txt): "connected to",
    // "SSL certificate verification is successful", the X-Challenge, "Sent ap info …", "Firmware returned". Differs: addresses, identity, releases.
    const steps = (harness.instance.api.getSyslog().body as SyslogLine[]).map(syslogLineText).filter((line) => line.includes(': %UPGRADE-5-AP_SW_UPDATE_LOG_MSG: Firmware check: '));
    const words = steps.map((line) => line.slice(line.indexOf('Firmware check: ') + 'Firmware check: '.length));
    expect(words).toEqual([
      `connected to 127.0.0.1:${catalog.service.port}`,
      `SSL certificate verification is successful: CN=Test catalog (SHA-256 fingerprint ${catalog.certificate.fingerprint})`,
      expect.stringMatching(/^X-Challenge received, X-Session-Id [A-Za-z0-9_-]{8,}$/),
      `Sent ap info '${serial}, 6c41.0e16.e79c, C9120AXI-B' in X-Ap-Info (X-Mode EWC, X-Guid ${guid}), and 2 image type(s) in the body`,
      expect.stringMatching(/^Firmware returned for 2 image type\(s\): latest 17\.15\.2\.3, recommended 17\.12\.1\.5 \(X-Status-Code: success, X-Activation-Key: [A-Z2-7]{8}\)$/),
    ]);
  });
});
