import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { SyslogLine } from '../../lib/syslog';
import { CONTROLLER_IMAGE_FILE, VERSION_FILE } from '../../lib/imageBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';
import { startUdpRelay, type UdpRelay } from '../sim/testing/udpRelay';

// An AP that joins (or reloads and joins again) while the upgrade is still at Initiate, reading the
// bundle's version files from the image server: it takes part in the run like the APs that were there.
let serverRoot: string;
let tftpd: { port: number; stop(): Promise<void> };
let harness: ConsoleHarness | null = null;
let relay: UdpRelay | null = null;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bundle-'));
  ensureDemoBundle(serverRoot, 20_000);
  tftpd = await startTftpdHpa({ root: serverRoot });
});

afterAll(async () => {
  await tftpd?.stop();
  fs.rmSync(serverRoot, { recursive: true, force: true });
});

afterEach(async () => {
  await harness?.dispose();
  harness = null;
  await relay?.close();
  relay = null;
});

const HOSTING = DEMO_FLEET.find((ap) => ap.hostsController)!;
const OTHER = DEMO_FLEET.find((ap) => !ap.hostsController && ap.imageType !== HOSTING.imageType)!;

/** The lines in which an AP says an image's transfer begins (`Image Data Request sent to 127.0.0.1, fileName [...]`), by file. */
function transfersBegun(h: ConsoleHarness, apName: string): Map<string, number> {
  const begun = new Map<string, number>();
  for (const line of h.instance.api.getSyslog().body as SyslogLine[]) {
    const match = new RegExp(`^${apName}: Image Data Request sent to \\S+, fileName \\[([^\\]]+)\\]`).exec(line.text);
    if (match) begun.set(match[1], (begun.get(match[1]) ?? 0) + 1);
  }
  return begun;
}

describe('an AP that joins while the upgrade is at Initiate', () => {
  it('is sent each of its images once, and completes with the others', async () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    // The image server answers nothing but version.info (read before the upgrade starts) until the AP is back: the upgrade stays at Initiate meanwhile.
    const gate = (request: Buffer) => (request.subarray(2, request.indexOf(0, 2)).toString().endsWith(`/${VERSION_FILE}`) ? Promise.resolve() : opened);
    relay = await startUdpRelay({ serverPort: tftpd.port, holdBehind: 0, maxHoldMs: 0, gate });
    harness = await startConsoleHarness({ EWC_TFTP_TIMEOUT_MS: '3000' });
    const fleet = await harness.startFleet([HOSTING, OTHER]);
    const h = harness;
    const row = (name: string) => (h.instance.api.getApImage().body as ApImageReport).aps.find((ap) => ap.name === name)!;

    const started = await h.instance.api.startDownload({ mode: 'TFTP', tftp: { imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: relay.port }, parallelMode: true }, ADMIN);
    expect(started.status).toBe(202);
    expect(h.instance.orchestrator.view().stage).toBe('Initiate');
    // The AP hosting the controller reloads on its own and joins again.
    const hosting = fleet.agents[0];
    await hosting.stop();
    await hosting.start();
    await waitFor(
      'the AP back',
      () => row(HOSTING.name),
      (ap) => ap.connected,
    );
    expect(h.instance.orchestrator.view().stage).toBe('Initiate');
    open();

    await waitFor(
      'the predownload to end',
      () => h.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(h.instance.orchestrator.view().stage).toBe('Activate');
    expect([row(HOSTING.name).predownloadStatus, row(OTHER.name).predownloadStatus]).toEqual(['Complete', 'Complete']);
    expect(row(HOSTING.name).retryCount).toBe(0);
    expect(Object.fromEntries(transfersBegun(h, HOSTING.name))).toEqual({ [HOSTING.imageType]: 1, [CONTROLLER_IMAGE_FILE]: 1 });
    expect(Object.fromEntries(transfersBegun(h, OTHER.name))).toEqual({ [OTHER.imageType]: 1 });
  });
});
