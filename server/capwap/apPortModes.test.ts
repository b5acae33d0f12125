import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { SyslogLine } from '../../lib/syslog';
import type { RuntimeStats } from '../diagnostics/runtimeStats';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { apStorageDir } from '../sim/ap/apStorage';
import { DEMO_IMAGE_PATH } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { demoBundleServerForFile } from '../sim/testing/demoBundleServer';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { rawJoin, type RawApSocket } from '../sim/testing/rawApClient';

// The AP port's connections in a worker thread (the default) and on the console's event loop
// (EWC_AP_PORT_WORKER=0): the same admission and the same delivery, as an AP and the page see them.
const REAL_AP = DEMO_FLEET[2]; // 9105-emorenoa, 70f0.96a1.4e20, ap1g8

const server = demoBundleServerForFile();

let harness: ConsoleHarness | null = null;
const sockets: RawApSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await harness?.dispose();
  harness = null;
});

const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const syslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map((line) => line.text);
const apNamed = (h: ConsoleHarness, name: string) => report(h).aps.find((ap) => ap.name === name)!;

describe.each([
  ['in a worker thread', '1'],
  ["on the console's event loop", '0'],
])('the AP port %s', (_, worker) => {
  it('admits an enrolled AP, refuses a join without a certificate with the reason in the log, and drops a revoked AP at once', async () => {
    harness = await startConsoleHarness({ EWC_AP_PORT_WORKER: worker });
    const h = harness;
    expect(h.config.apPortWorker).toBe(worker === '1');
    await h.startFleet([REAL_AP]);
    // Known to the console the moment the AP knows it joined.
    expect(
      report(h)
        .aps.filter((ap) => ap.connected)
        .map((ap) => ap.mac),
    ).toEqual([REAL_AP.mac]);

    const before = syslog(h).length;
    const forged = await rawJoin(h.capwapUrl, {
      name: 'AP-FORGED',
      mac: REAL_AP.mac,
      model: REAL_AP.model,
      imageType: REAL_AP.imageType,
      primaryVersion: '17.9.4.27',
      backupVersion: '17.3.3.26',
      freeSpaceKb: 400_000,
      hostsController: false,
    });
    sockets.push(forged.socket);
    expect(forged.error).toMatch(/^Join refused: no valid AP certificate/);
    // Logged before the AP read its refusal.
    expect(syslog(h).slice(before)).toEqual([expect.stringMatching(/^AP join from 127\.0\.0\.1 refused: no valid AP certificate/)]);
    expect(apNamed(h, REAL_AP.name).connected).toBe(true);

    expect((await h.instance.apAuthorizationApi.change(REAL_AP.mac, { status: 'revoked' }, ADMIN)).status).toBe(200);
    await waitFor(
      'the row shows it gone',
      () => apNamed(h, REAL_AP.name),
      (ap) => !ap.connected,
    );
    expect(syslog(h)).toContain(`AP Name: ${REAL_AP.name} Mac: ${REAL_AP.mac} disconnected: revoked by ${ADMIN.username}`);
  });

  it("says in the diagnostics what the AP port's worker holds: its own heap beside the console's, or nothing in-loop", async () => {
    harness = await startConsoleHarness({ EWC_AP_PORT_WORKER: worker });
    const h = harness;
    await h.startFleet([REAL_AP]);
    const stats = () => h.instance.api.getDiagnostics().body as RuntimeStats;
    expect(stats().mainThread.heapUsedBytes).toBeGreaterThan(0);
    if (worker === '0') return expect(stats().apPortWorker).toBeNull();
    const reported = await waitFor('the worker reports its memory', stats, (s) => s.apPortWorker !== null);
    expect(reported.apPortWorker!.heapUsedBytes).toBeGreaterThan(0);
    expect(reported.apPortWorker!.heapTotalBytes).toBeGreaterThanOrEqual(reported.apPortWorker!.heapUsedBytes);
    // A thread of its own: not the console's heap figures again.
    expect(reported.apPortWorker!.heapTotalBytes).not.toBe(reported.mainThread.heapTotalBytes);
  });

  it('delivers an image byte-exact and resumes an AP that dropped mid-transfer from the bytes it had written', async () => {
    harness = await startConsoleHarness({ EWC_AP_PORT_WORKER: worker, EWC_RETRY_BASE_MS: '300' });
    const h = harness;
    const fleet = await h.startFleet([REAL_AP], 1500);
    const agent = fleet.agents[0];
    const profile = { mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port, parallelMode: false };
    expect((await h.instance.api.startDownload(profile, ADMIN)).status).toBe(202);
    await waitFor(
      'a third of the image acknowledged',
      () => apNamed(h, REAL_AP.name),
      (ap) => ap.percent > 30,
      20_000,
    );
    await agent.stop();
    await waitFor(
      'the AP failed with a retry pending',
      () => apNamed(h, REAL_AP.name),
      (ap) => ap.predownloadStatus === 'Failed' && ap.nextRetryTime !== null,
      10_000,
    );
    await agent.start();
    await waitFor(
      'stage Activate',
      () => h.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      30_000,
    );
    expect(apNamed(h, REAL_AP.name)).toMatchObject({ predownloadStatus: 'Complete', retryCount: 1, percent: 100 });
    const resumed = syslog(h)
      .map((line) => /9105-emorenoa: Image Data Request sent to 127\.0\.0\.1, fileName \[ap1g8\], resuming at (\d+)/.exec(line))
      .find(Boolean);
    expect(Number(resumed?.[1])).toBeGreaterThan(0);
    const agentDir = apStorageDir(path.join(h.config.dataDir, 'fleet'), REAL_AP.mac);
    expect(await sha256OfFile(path.join(agentDir, 'ap-backup.img'))).toBe(await sha256OfFile(path.join(server.root, DEMO_IMAGE_PATH, 'ap1g8')));
  });
});
