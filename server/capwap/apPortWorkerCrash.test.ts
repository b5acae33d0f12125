import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AP_IMAGE_COUNTERS, type ApImageReport } from '../../lib/apImage';
import type { SyslogLine } from '../../lib/syslog';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { apStorageDir } from '../sim/ap/apStorage';
import { DEMO_IMAGE_PATH } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { demoBundleServerForFile } from '../sim/testing/demoBundleServer';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';

// The AP port's worker thread dies mid-predownload (as a crash would: its thread ends abruptly, not through a
// close): the console says so, starts it again on the same port, the APs join again by themselves and their
// transfers resume from the bytes they hold at their next retry (the first is 4 s after the cut, time enough to rejoin);
// the run ends as it would have, every image byte-exact.
const server = demoBundleServerForFile();
const APS = DEMO_FLEET.filter((ap) => !ap.hostsController).slice(0, 3);

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const syslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map((line) => line.text);

/** The worker's thread, ended from outside as a crash ends it: the test's one reach into the port's insides. */
function crashWorker(h: ConsoleHarness): Promise<void> {
  const port = h.instance.capwap as unknown as { host: { stop(closed: Promise<void>): Promise<void> } | null };
  if (!port.host) throw new Error('the AP port has no worker');
  return port.host.stop(Promise.resolve());
}

describe("the AP port's worker thread", () => {
  it('crashing mid-predownload is logged, started again on the same port, and the run completes byte-exact with the APs rejoined', async () => {
    harness = await startConsoleHarness({ EWC_AP_PORT_WORKER: '1', EWC_RETRY_BASE_MS: '4000' });
    const h = harness;
    await h.startFleet(APS, 1500);
    const profile = { mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port, parallelMode: true };
    expect((await h.instance.api.startDownload(profile, ADMIN)).status).toBe(202);
    await waitFor(
      'an AP part-way through its image',
      () => report(h).aps,
      (aps) => aps.some((ap) => ap.predownloadStatus === 'Predownloading' && ap.percent > 20 && ap.percent < 80),
      30_000,
    );
    await crashWorker(h);
    await waitFor(
      'the APs gone with the worker',
      () => report(h).aps,
      (aps) => aps.every((ap) => !ap.connected),
      10_000,
    );
    expect(syslog(h)).toContainEqual(expect.stringMatching(/^The AP port stopped unexpectedly \(exit code \d+\); it starts again in 1 s and the APs join again$/));

    await waitFor(
      'the APs joined the restarted port',
      () => report(h).aps,
      (aps) => aps.filter((ap) => ap.connected).length === APS.length,
      30_000,
    );
    await waitFor(
      'stage Activate',
      () => h.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    const final = report(h);
    expect(h.instance.orchestrator.view().stage, syslog(h).slice(-25).join('\n')).toBe('Activate');
    expect(AP_IMAGE_COUNTERS.reduce((sum, counter) => sum + final.summary[counter.key], 0)).toBe(final.summary.totalAps);
    for (const ap of APS) {
      expect(final.aps.find((row) => row.mac === ap.mac)).toMatchObject({ predownloadStatus: 'Complete', percent: 100 });
      const dir = apStorageDir(path.join(h.config.dataDir, 'fleet'), ap.mac);
      expect(await sha256OfFile(path.join(dir, 'ap-backup.img')), ap.name).toBe(await sha256OfFile(path.join(server.root, DEMO_IMAGE_PATH, ap.imageType)));
    }
    // An AP cut mid-transfer carries on from what it held, not from the start.
    const resumedAt = syslog(h)
      .map((line) => /Image Data Request sent to \S+, fileName \[\w+\], resuming at (\d+)/.exec(line)?.[1])
      .filter(Boolean)
      .map(Number);
    expect(Math.max(0, ...resumedAt)).toBeGreaterThan(0);
  });
});
