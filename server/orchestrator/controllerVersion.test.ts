import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActivationPreview } from '../../lib/actionPreview';
import type { UpgradeHistoryEntry } from '../../lib/upgradeHistory';
import type { UpgradeView } from '../../lib/upgradeStage';
import { CliInterpreter } from '../cli/cliInterpreter';
import { generatedFleet } from '../sim/ap/simulatedFleet';
import type { FleetAp } from '../sim/ap/fleetSpec';
import { DEMO_CONTROLLER_VERSION, DEMO_FLEET, DEMO_FLEET_VERSION } from '../sim/demo/demoFleet';
import { DEMO_BUNDLE_CONTROLLER_VERSION, DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa, type RunningTftpd } from '../sim/testing/tftpdHpa';

// The controller is software on the AP that hosts it: what the console says it runs must be what that AP runs.
// A real image server (tftpd-hpa on loopback), real AP agents, the console's own CLI interpreter.
const IMAGE_BYTES = 64 * 1024;
const CONTROLLER_AP: FleetAp = { ...DEMO_FLEET.find((ap) => ap.hostsController)!, name: 'AP-CONTROLLER', mac: '0a00.00ff.0001', siteTag: 'SITE-1' };

let serverRoot: string;
let tftpd: RunningTftpd;
let harness: ConsoleHarness | null = null;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-controller-version-'));
  ensureDemoBundle(serverRoot, IMAGE_BYTES);
  tftpd = await startTftpdHpa({ root: serverRoot });
});

afterAll(async () => {
  await tftpd?.stop();
  fs.rmSync(serverRoot, { recursive: true, force: true });
});

afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

const profile = () => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: true });
const view = (h: ConsoleHarness): UpgradeView => h.instance.orchestrator.view();

async function predownloaded(h: ConsoleHarness): Promise<void> {
  expect((await h.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
  await waitFor(
    'stage Activate',
    () => view(h).stage,
    (stage) => stage === 'Activate' || stage === 'Failed',
    60_000,
  );
  expect(view(h).stage).toBe('Activate');
}

async function activated(h: ConsoleHarness, body: Record<string, unknown>): Promise<UpgradeView> {
  expect((await h.instance.api.activate(ADMIN, body)).status).toBe(202);
  return waitFor(
    'the activation ended',
    () => view(h),
    (upgrade) => upgrade.stage !== 'Reload',
    60_000,
  );
}

/** `show version`'s line naming the controller's software, as an engineer on the CLI reads it. */
async function showVersionPackage(h: ConsoleHarness): Promise<string | undefined> {
  const cli = new CliInterpreter(h.instance.cli.backend, { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1 (ssh)' });
  return (await cli.execute('show version')).find((line) => line.startsWith('Controller software package:'));
}

const newestHistory = async (h: ConsoleHarness) => ((await h.instance.api.maintenance.listUpgrades()).body as UpgradeHistoryEntry[])[0];

describe("the controller's version", () => {
  it('stays the old one when the AP hosting the controller is excluded from a rolling activation: the API, show version, the end sentence and the history say so', async () => {
    harness = await startConsoleHarness();
    const fleet = await harness.startFleet([...generatedFleet(4, DEMO_FLEET_VERSION, { sites: 2 }), CONTROLLER_AP]);
    await predownloaded(harness);
    expect((await harness.instance.api.maintenance.apAction(CONTROLLER_AP.mac, 'exclude', ADMIN)).status).toBe(202);
    // The confirmation names what happens to the controller: its AP does not reload, so it keeps its version.
    const preview = (await harness.instance.api.maintenance.previewActivation({ strategy: 'rolling', waveSize: 2 })).body as ActivationPreview;
    expect(preview).toMatchObject({ apCount: 4, controllerApReloads: false, controllerHosted: true });

    const ended = await activated(harness, { strategy: 'rolling', waveSize: 2 });
    // The hosting AP itself still runs the old controller software: that is what is true.
    const hosting = fleet.agents.find((agent) => agent.mac === CONTROLLER_AP.mac)!;
    expect(hosting.images.controllerPrimaryVersion).toBe(DEMO_CONTROLLER_VERSION);
    expect(ended.controllerVersion).toBe(DEMO_CONTROLLER_VERSION);
    expect(ended.message).toBe(`4 of 5 APs run ${DEMO_BUNDLE_VERSION}; 1 not activated still runs ${DEMO_FLEET_VERSION}; controller running ${DEMO_CONTROLLER_VERSION}`);
    expect(await showVersionPackage(harness)).toBe(`Controller software package: ${DEMO_CONTROLLER_VERSION}`);
    expect((await newestHistory(harness)).message).toBe(ended.message);
  });

  it('becomes the new one when the AP hosting the controller joins again running it, in the last wave', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet([...generatedFleet(2, DEMO_FLEET_VERSION), CONTROLLER_AP]);
    await predownloaded(harness);
    const preview = (await harness.instance.api.maintenance.previewActivation({ strategy: 'rolling', waveSize: 1 })).body as ActivationPreview;
    expect(preview).toMatchObject({ apCount: 3, controllerApReloads: true, controllerHosted: true });
    // Until then, mid-activation, the controller runs the old one.
    expect((await harness.instance.api.activate(ADMIN, { strategy: 'rolling', waveSize: 1 })).status).toBe(202);
    expect(view(harness).controllerVersion).toBe(DEMO_CONTROLLER_VERSION);
    const ended = await waitFor(
      'the activation ended',
      () => view(harness!),
      (upgrade) => upgrade.stage !== 'Reload',
      60_000,
    );
    expect(ended).toMatchObject({ stage: 'Completed', controllerVersion: DEMO_BUNDLE_CONTROLLER_VERSION });
    expect(ended.message).toBe(`3 of 3 APs run ${DEMO_BUNDLE_VERSION}; controller running ${DEMO_BUNDLE_CONTROLLER_VERSION}`);
    expect(await showVersionPackage(harness)).toBe(`Controller software package: ${DEMO_BUNDLE_CONTROLLER_VERSION}`);
  });

  it('stays what it was with no AP hosting the controller: no AP received the controller image', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet(generatedFleet(3, DEMO_FLEET_VERSION));
    const before = view(harness).controllerVersion;
    await predownloaded(harness);
    const preview = (await harness.instance.api.maintenance.previewActivation({ strategy: 'all' })).body as ActivationPreview;
    expect(preview).toMatchObject({ apCount: 3, controllerApReloads: false, controllerHosted: false });
    const ended = await activated(harness, { strategy: 'all' });
    expect(ended).toMatchObject({ stage: 'Completed', controllerVersion: before });
    expect(ended.message).toBe(`3 of 3 APs run ${DEMO_BUNDLE_VERSION}; controller running ${before}`);
    expect(await showVersionPackage(harness)).toBe(`Controller software package: ${before}`);
  });

  it('is the one the AP hosting the controller says it runs when it joins', async () => {
    harness = await startConsoleHarness();
    expect(view(harness).controllerVersion).toBe(DEMO_CONTROLLER_VERSION);
    await harness.startFleet([{ ...CONTROLLER_AP, controllerPrimaryVersion: DEMO_BUNDLE_CONTROLLER_VERSION }]);
    await waitFor(
      'the controller version its AP reports',
      () => view(harness!).controllerVersion,
      (version) => version === DEMO_BUNDLE_CONTROLLER_VERSION,
      10_000,
    );
    expect(await showVersionPackage(harness)).toBe(`Controller software package: ${DEMO_BUNDLE_CONTROLLER_VERSION}`);
  });
});
