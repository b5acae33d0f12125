import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageRow } from '../../lib/apImage';
import { generatedFleet } from '../sim/ap/simulatedFleet';
import type { FleetAp } from '../sim/ap/fleetSpec';
import { DEMO_FLEET, DEMO_FLEET_VERSION } from '../sim/demo/demoFleet';
import { DEMO_IMAGE_PATH } from '../sim/demo/demoBundle';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { demoBundleServerForFile } from '../sim/testing/demoBundleServer';

// The AP hosting the controller receives two images, the controller image first. Between them nothing flows to it:
// it waits for its AP image and a slot, one delivery at a time, behind the other APs' deliveries on slow links.
// In parallel mode both flow at once, and it reads Predownloading until both are whole.
const IMAGE_BYTES = 96 * 1024;
const HOST: FleetAp = { ...DEMO_FLEET.find((ap) => ap.hostsController)!, name: 'AP-CONTROLLER', mac: '0a00.00ff.0001', siteTag: 'SITE-1' };

const server = demoBundleServerForFile('ewc-host-between-', IMAGE_BYTES);
let harness: ConsoleHarness | null = null;

afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

describe('the AP hosting the controller, between its two images', () => {
  it('waits for its AP image as Downloading, not Predownloading, then receives it', async () => {
    harness = await startConsoleHarness({ EWC_MAX_CONCURRENT_PREDOWNLOADS: '1' });
    await harness.startFleet([...generatedFleet(3, DEMO_FLEET_VERSION), HOST], 512);
    // Every row the page is sent for the hosting AP.
    const seen: ApImageRow[] = [];
    harness.browser.socket.on('apImage:updated', ({ aps }) => seen.push(...aps.filter((row) => row.mac === HOST.mac)));
    expect((await harness.instance.api.startDownload({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port, parallelMode: false }, ADMIN)).status).toBe(202);
    await waitFor(
      'stage Activate',
      () => harness!.instance.orchestrator.view().stage,
      (stage) => stage === 'Activate' || stage === 'Failed',
      120_000,
    );
    expect(harness.instance.orchestrator.view().stage).toBe('Activate');
    // Its controller image whole, its AP image waiting for a slot: nothing flows to it, so it is not Predownloading.
    const trace = JSON.stringify(seen.map((row) => [row.predownloadStatus, row.controllerPercent, row.percent, row.queuePosition]));
    const waiting = seen.filter((row) => row.controllerPercent === 100 && row.percent === 0 && row.queuePosition !== null);
    expect(waiting.length, trace).toBeGreaterThan(0);
    for (const row of waiting) expect(row.predownloadStatus, trace).toBe('Downloading');
    expect(seen.at(-1)?.predownloadStatus).toBe('Complete');
  });

  it('stays Predownloading while its other image is still checked by the AP, then completes (parallel mode)', async () => {
    harness = await startConsoleHarness();
    // Both images flow at once and end close together; the AP takes a moment to check each before it answers. Its
    // last bytes of one image are acknowledged while the other's verdict arrives: that image is still under way.
    await harness.startFleet([{ ...HOST, verifyDelayMs: 1500 }], 1024);
    const seen: ApImageRow[] = [];
    harness.browser.socket.on('apImage:updated', ({ aps }) => seen.push(...aps.filter((row) => row.mac === HOST.mac)));
    expect((await harness.instance.api.startDownload({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port, parallelMode: true }, ADMIN)).status).toBe(202);
    const trace = () => JSON.stringify(seen.map((row) => [row.predownloadStatus, row.controllerPercent, row.percent]));
    const stage = await waitFor(
      'stage Activate',
      () => harness!.instance.orchestrator.view().stage,
      (now) => now === 'Activate' || now === 'Failed',
      30_000,
    ).catch((error: Error) => `${error.message}; rows seen: ${trace()}`);
    expect(stage).toBe('Activate');
    // The page's batch that brings it Complete follows the stage's own event.
    await waitFor(
      'its row Complete on the page',
      () => seen.at(-1)?.predownloadStatus,
      (status) => status === 'Complete',
      10_000,
    );
    // Once an image flowed to it, it never read Downloading: one of its images was always under way until both were whole.
    const firstFlow = seen.findIndex((row) => row.predownloadStatus === 'Predownloading');
    expect(firstFlow, trace()).toBeGreaterThanOrEqual(0);
    expect(
      seen.slice(firstFlow).filter((row) => row.predownloadStatus === 'Downloading'),
      trace(),
    ).toEqual([]);
  });
});
