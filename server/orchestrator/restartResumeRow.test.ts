import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { renderShowApImage } from '../cli/render/showApImage';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { apStorageDir } from '../sim/ap/apStorage';
import { DEMO_IMAGE_PATH } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { demoBundleServerForFile } from '../sim/testing/demoBundleServer';
import { freeTcpPort } from '../sim/testing/freeTcpPort';

// The row of an AP whose transfer a controller restart interrupted, from the restart until its delivery restarts
// and after, against tftpd-hpa and real AP agents.
const server = demoBundleServerForFile();
const AP = DEMO_FLEET[2];
/** An AP that stays away after the restart: the resumed run waits for it, so the first AP's delivery cannot restart meanwhile. */
const AWAY = DEMO_FLEET[3];

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

const profile = () => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port, parallelMode: true });
const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const apRow = (h: ConsoleHarness) => report(h).aps.find((ap) => ap.name === AP.name)!;
const imagePath = () => path.join(server.root, DEMO_IMAGE_PATH, AP.imageType);
const agentDir = (h: ConsoleHarness) => apStorageDir(path.join(h.config.dataDir, 'fleet'), AP.mac);
/** The console's percent of `bytes`: one decimal, as the row rounds it. */
const percentOf = (bytes: number) => Math.round((bytes / fs.statSync(imagePath()).size) * 100 * 10) / 10;

// A node that takes over has none of the images in its own cache: its run fetches them again, after the APs rejoined.
describe.each([
  ['the image cache kept', false],
  ['the image cache empty, as a node that takes over finds it', true],
])('an AP that was receiving when the controller restarted, %s', (_, emptyCache) => {
  it('shows what it holds and that it waits until its delivery restarts, then goes on from there to Complete, byte-exact', async () => {
    const env = { PORT: String(await freeTcpPort()), EWC_CAPWAP_PORT: String(await freeTcpPort()), EWC_RESUME_WAIT_MS: '600000' };
    harness = await startConsoleHarness(env);
    const fleet = await harness.startFleet([AP, AWAY], 1500);
    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    await waitFor(
      'a third of the image acknowledged',
      () => apRow(harness!),
      (ap) => ap.percent > 30,
      20_000,
    );
    await harness.instance.close('controller stopped by SIGTERM');
    harness.browser.close();
    await fleet.agents[1].stop();
    if (emptyCache) fs.rmSync(path.join(harness.config.dataDir, 'image-cache'), { recursive: true, force: true });

    const restarted = await startConsoleHarness(env, harness.config.dataDir);
    harness = restarted;
    restarted.fleet = fleet;
    const row = await waitFor(
      'the AP back on the restarted console',
      () => apRow(restarted),
      (ap) => ap.connected,
      30_000,
    );
    const held = fs.statSync(path.join(agentDir(restarted), 'ap.part')).size;
    const heldPercent = percentOf(held);
    expect(heldPercent).toBeGreaterThan(30);
    // Not "Predownloading 0 %": it holds what it received, and nothing reaches it until its delivery restarts.
    expect(row).toMatchObject({ predownloadStatus: 'Downloading', percent: heldPercent, etaSeconds: null, waitsToResume: true });
    const summary = report(restarted).summary;
    expect(summary.predownloading).toBe(0);
    expect(summary.downloading + summary.completedDownloading).toBe(2);
    // Nothing is fetched before the run stops waiting for the other AP: the controller does not hold the image yet.
    if (emptyCache) expect(summary.downloading).toBe(2);
    // show ap image keeps IOS's words.
    const text = renderShowApImage(report(restarted));
    expect(text.find((line) => line.startsWith(`${AP.name} `))).toMatch(/ Downloading +17\.12\.1\.5 /);
    expect(text).toContainEqual(expect.stringMatching(/^ +Predownloading +: 0$/));
    // The open page is told the same.
    await waitFor(
      'the page told what the AP holds',
      () => restarted.browser.percentsSeen.get(AP.name)?.at(-1),
      (percent) => percent === heldPercent,
      10_000,
    );
    const seenBefore = restarted.browser.percentsSeen.get(AP.name)!.length;

    // The other AP is back: the run carries on, and the AP resumes from what it held.
    await fleet.agents[1].start();
    await waitFor(
      'stage Activate',
      () => restarted.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(restarted.instance.orchestrator.view().stage).toBe('Activate');
    expect(apRow(restarted)).toMatchObject({ predownloadStatus: 'Complete', percent: 100, waitsToResume: false, retryCount: 0 });
    const seenAfter = restarted.browser.percentsSeen.get(AP.name)!.slice(seenBefore);
    expect(seenAfter.filter((percent) => percent < heldPercent)).toEqual([]);
    const lines = (restarted.instance.api.getSyslog().body as { text: string }[]).map((line) => line.text);
    const resumedAt = lines.map((line) => new RegExp(`${AP.name}: Image Data Request sent to 127\\.0\\.0\\.1, fileName \\[${AP.imageType}\\], resuming at (\\d+)`).exec(line)).find(Boolean);
    expect(Number(resumedAt?.[1])).toBe(held);
    expect(await sha256OfFile(path.join(agentDir(restarted), 'ap-backup.img'))).toBe(await sha256OfFile(imagePath()));
  });
});
