import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../../lib/apImage';
import { DEMO_FLEET } from '../demo/demoFleet';
import { DEMO_IMAGE_PATH } from '../demo/demoBundle';
import { sha256OfFile } from '../../imageSigning/fileDigest';
import { loadTrustedVendorKeys } from '../../imageSigning/imageManifest';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../testing/consoleHarness';
import { demoBundleServerForFile } from '../testing/demoBundleServer';
import { freeTcpPort } from '../testing/freeTcpPort';
import { postgresServerForFile } from '../testing/postgresServerForFile';
import { apStorageDir } from './apStorage';
import { startFleet, type Fleet } from './simulatedFleet';

// Console nodes on one PostgreSQL database, one after the other, each on its own AP port: an AP with
// a controller list moves to the next node by itself and finishes its image there.
const postgres = postgresServerForFile();
const server = demoBundleServerForFile();
const AP = DEMO_FLEET[2];

const harnesses: ConsoleHarness[] = [];
const dirs: string[] = [];
let fleet: Fleet | null = null;
afterEach(async () => {
  await fleet?.stop();
  fleet = null;
  for (const harness of harnesses.splice(0).reverse()) await harness.dispose().catch(() => undefined);
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const newDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
const apRow = (h: ConsoleHarness) => (h.instance.api.getApImage().body as ApImageReport).aps.find((ap) => ap.mac === AP.mac);
const apLines = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as { text: string }[]).map((line) => line.text).filter((text) => text.startsWith(`${AP.name}: `));
const profile = () => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port, parallelMode: false });
const serverImage = () => path.join(server.root, DEMO_IMAGE_PATH, AP.imageType);

/** The AP, with its storage under `fleetRoot`, trusting the CA and vendor keys every node of the database shares. */
const startFleetOn = (node: ConsoleHarness, controllerUrls: string[], fleetRoot: string) =>
  startFleet({
    controllerUrls,
    trust: { caCertPem: fs.readFileSync(path.join(node.instance.trust.pkiDir, 'ca.crt'), 'utf8'), enrolmentToken: node.instance.trust.joinToken },
    vendorKeys: loadTrustedVendorKeys(node.config.vendorKeyDir),
    aps: [AP],
    storageRoot: fleetRoot,
    linkKbps: 1500,
    reloadMs: node.config.reloadMs,
  });

describe('an AP with a primary, secondary and tertiary controller', () => {
  it('joins its secondary while the primary is closed, moves to its tertiary when the secondary stops mid-predownload, and the tertiary resumes the image from the bytes the AP holds', async () => {
    const database = await postgres.consoleEnv();
    const closed = `https://127.0.0.1:${await freeTcpPort()}`;
    const tertiaryPort = await freeTcpPort();
    const tertiary = `https://127.0.0.1:${tertiaryPort}`;
    const nodeA = await startConsoleHarness(database, newDir('ewc-node-a-'));
    harnesses.push(nodeA);
    const fleetRoot = newDir('ewc-failover-fleet-');
    fleet = await startFleetOn(nodeA, [closed, nodeA.capwapUrl, tertiary], fleetRoot);
    const agent = fleet.agents[0];
    expect(agent.controller).toBe(nodeA.capwapUrl);
    await waitFor(
      'the AP shown on node A with its join lines',
      () => apLines(nodeA),
      (lines) => lines.includes(`${AP.name}: Joined secondary controller ${nodeA.capwapUrl}`),
    );
    expect(apLines(nodeA).slice(0, 2)).toEqual([`${AP.name}: Controller ${closed} unreachable; trying secondary ${nodeA.capwapUrl}`, `${AP.name}: Joined secondary controller ${nodeA.capwapUrl}`]);
    expect(apRow(nodeA)?.connected).toBe(true);

    expect((await nodeA.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    await waitFor(
      'a third of the image acknowledged on node A',
      () => apRow(nodeA)!,
      (ap) => ap.percent > 30,
      20_000,
    );
    const stageAtStop = nodeA.instance.orchestrator.view().stage;
    await nodeA.instance.close('controller stopped by SIGTERM');
    nodeA.browser.close();
    expect(agent.controllerNotice).toBe('controller stopped by SIGTERM');
    expect(agent.controller).toBeNull();
    const held = fs.statSync(path.join(apStorageDir(fleetRoot, AP.mac), 'ap.part')).size;
    expect(held).toBeGreaterThan(0);

    // Node B takes over the database's run on its own AP port, the AP's tertiary; nobody tells the AP.
    const nodeB = await startConsoleHarness({ ...database, EWC_CAPWAP_PORT: String(tertiaryPort) }, newDir('ewc-node-b-'));
    harnesses.push(nodeB);
    expect(nodeB.capwapUrl).toBe(tertiary);
    // The node holds the session a moment before the AP's own `connect` event tells it it has joined.
    await waitFor(
      'the AP joined node B, as node B and the AP both say',
      () => ({ connected: apRow(nodeB)?.connected, controller: agent.controller }),
      ({ connected, controller }) => connected === true && controller !== null,
    );
    expect(agent.controller).toBe(tertiary);
    await waitFor(
      'stage Activate on node B',
      () => nodeB.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(nodeB.instance.orchestrator.view().stage).toBe('Activate');
    expect(apRow(nodeB)).toMatchObject({ predownloadStatus: 'Complete', retryCount: 0 });

    // Both nodes keep one log in the database: node A's lines come first.
    const lines = apLines(nodeB);
    const wentAway = lines.indexOf(`${AP.name}: Controller ${nodeA.capwapUrl} went away; trying primary ${closed}`);
    const joinedB = lines.indexOf(`${AP.name}: Joined tertiary controller ${tertiary}`);
    expect(wentAway).toBeGreaterThan(lines.indexOf(`${AP.name}: Joined secondary controller ${nodeA.capwapUrl}`));
    // Why it left, then its tries round the list from the primary, then the join.
    expect(lines.slice(wentAway + 1, joinedB)).toContain(`${AP.name}: Controller ${closed} unreachable; trying secondary ${nodeA.capwapUrl}`);
    expect(lines[joinedB - 1]).toBe(`${AP.name}: Controller ${nodeA.capwapUrl} unreachable; trying tertiary ${tertiary}`);
    const syslog = (nodeB.instance.api.getSyslog().body as { text: string }[]).map((line) => line.text);
    expect(syslog).toContain(`Controller restarted: resuming upgrade 1 at stage ${stageAtStop}`);
    const resumedAt = lines
      .slice(joinedB)
      .map((line) => new RegExp(`^${AP.name}: Image Data Request sent to 127\\.0\\.0\\.1, fileName \\[${AP.imageType}\\], resuming at (\\d+)$`).exec(line))
      .find(Boolean);
    expect(Number(resumedAt?.[1])).toBeGreaterThanOrEqual(held);
    const apDir = apStorageDir(fleetRoot, AP.mac);
    expect(await sha256OfFile(path.join(apDir, 'ap-backup.img'))).toBe(await sha256OfFile(serverImage()));
    // Every byte once, but for the block that may have been in flight when node A closed the link.
    const received = (JSON.parse(fs.readFileSync(path.join(apDir, 'received.json'), 'utf8')) as { bytes: number }).bytes;
    const size = fs.statSync(serverImage()).size;
    expect(received).toBeGreaterThanOrEqual(size);
    expect(received - size).toBeLessThanOrEqual(64 * 1024);
  });

  it('stays on its secondary while that one is up, when its primary comes back', async () => {
    const database = await postgres.consoleEnv();
    const primaryPort = await freeTcpPort();
    const primary = `https://127.0.0.1:${primaryPort}`;
    const secondary = await startConsoleHarness(database, newDir('ewc-node-b-'));
    harnesses.push(secondary);
    fleet = await startFleetOn(secondary, [primary, secondary.capwapUrl], newDir('ewc-failover-fleet-'));
    expect(fleet.agents[0].controller).toBe(secondary.capwapUrl);

    const primaryNode = await startConsoleHarness({ ...database, EWC_CAPWAP_PORT: String(primaryPort) }, newDir('ewc-node-a-'));
    harnesses.push(primaryNode);
    // A whole predownload on the secondary after the primary is back: the AP never leaves it to fall back.
    expect((await secondary.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    await waitFor(
      'stage Activate on the secondary',
      () => secondary.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(apRow(secondary)).toMatchObject({ connected: true, predownloadStatus: 'Complete' });
    expect(fleet.agents[0].controller).toBe(secondary.capwapUrl);
    expect(apRow(primaryNode)?.connected ?? false).toBe(false);
    expect(apLines(secondary).filter((line) => line.includes('Joined') || line.includes('trying'))).toEqual([
      `${AP.name}: Controller ${primary} unreachable; trying secondary ${secondary.capwapUrl}`,
      `${AP.name}: Joined secondary controller ${secondary.capwapUrl}`,
    ]);
  });
});
