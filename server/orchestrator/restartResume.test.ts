import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { DEMO_IMAGE_PATH } from '../sim/demo/demoBundle';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { demoBundleServerForFile } from '../sim/testing/demoBundleServer';
import { ADMIN, fleetCliTrustArgs, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { freeTcpPort } from '../sim/testing/freeTcpPort';
import { apStorageDir } from '../sim/ap/apStorage';
import { postgresServerForFile } from '../sim/testing/postgresServerForFile';
import { ENGINES, type Engine } from '../sim/testing/testStores';

// A controller that stops mid-upgrade, and an AP process killed mid-transfer, against tftpd-hpa.
const server = demoBundleServerForFile();
// The graceful restart runs on each engine: on PostgreSQL, the restarted console finds the run in the shared database.
const postgres = postgresServerForFile();
const AP = DEMO_FLEET[2];
const agentDirOf = (root: string) => apStorageDir(root, AP.mac);
const bytesReceived = (root: string) => (JSON.parse(fs.readFileSync(path.join(agentDirOf(root), 'received.json'), 'utf8')) as { bytes: number }).bytes;

let harness: ConsoleHarness | null = null;
let fleetProcess: ChildProcess | null = null;
afterEach(async () => {
  fleetProcess?.kill('SIGKILL');
  fleetProcess = null;
  await harness?.dispose();
  harness = null;
});

const profile = () => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port, parallelMode: false });
const apRow = (h: ConsoleHarness) => (h.instance.api.getApImage().body as ApImageReport).aps.find((ap) => ap.name === AP.name)!;
const syslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as { text: string }[]).map((line) => line.text);
const imageSize = () => fs.statSync(path.join(server.root, DEMO_IMAGE_PATH, AP.imageType)).size;

/** The ports a console restarted on the same data folder keeps, so its pages and APs find it again. */
const fixedPorts = async () => ({ PORT: String(await freeTcpPort()), EWC_CAPWAP_PORT: String(await freeTcpPort()) });

const databaseEnv = async (engine: Engine): Promise<Record<string, string>> => (engine === 'postgres' ? await postgres.consoleEnv() : {});

describe.each(ENGINES)('a controller on %s stopped gracefully mid-predownload', (engine) => {
  it('tells the page and the AP why, and the restarted console resumes the AP from the bytes it holds', async () => {
    const env = { ...(await fixedPorts()), ...(await databaseEnv(engine)) };
    harness = await startConsoleHarness(env);
    const fleet = await harness.startFleet([AP], 1500);
    const notices: string[] = [];
    harness.browser.socket.on('console:stopping', ({ reason }) => notices.push(reason));
    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    await waitFor(
      'a third of the image acknowledged',
      () => apRow(harness!),
      (ap) => ap.percent > 30,
      20_000,
    );

    const stageAtStop = harness.instance.orchestrator.view().stage;
    await harness.instance.close('controller stopped by SIGTERM');
    harness.browser.close();
    expect(fleet.agents[0].controllerNotice).toBe('controller stopped by SIGTERM');
    expect(notices).toEqual(['controller stopped by SIGTERM']);
    const held = fs.statSync(path.join(agentDirOf(path.join(harness.config.dataDir, 'fleet')), 'ap.part')).size;
    expect(held).toBeGreaterThan(0);

    // Same data folder, same port: the AP rejoins by itself (reconnection backoff) and the run carries on.
    const restarted = await startConsoleHarness(env, harness.config.dataDir);
    harness = restarted;
    restarted.fleet = fleet;
    expect(restarted.instance.store.engine).toBe(engine);
    expect(restarted.instance.orchestrator.view().stage).toMatch(/^(ControllerImageDownload|APImageDownload|NetworkUpgrade)$/);
    await waitFor(
      'stage Activate',
      () => restarted.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(restarted.instance.orchestrator.view().stage).toBe('Activate');
    const lines = syslog(restarted);
    expect(lines).toContain(`Controller restarted: resuming upgrade 1 at stage ${stageAtStop}`);
    expect(lines.filter((line) => line.endsWith(`Completed install add tftp://127.0.0.1:${server.port}${DEMO_IMAGE_PATH}/${AP.imageType}`))).toHaveLength(1);
    const resumedAt = lines.map((line) => new RegExp(`${AP.name}: Image Data Request sent to 127\\.0\\.0\\.1, fileName \\[${AP.imageType}\\], resuming at (\\d+)`).exec(line)).find(Boolean);
    expect(Number(resumedAt?.[1])).toBeGreaterThanOrEqual(held);
    expect(apRow(restarted)).toMatchObject({ predownloadStatus: 'Complete', retryCount: 0 });
    const fleetRoot = path.join(restarted.config.dataDir, 'fleet');
    expect(await sha256OfFile(path.join(agentDirOf(fleetRoot), 'ap-backup.img'))).toBe(await sha256OfFile(path.join(server.root, DEMO_IMAGE_PATH, AP.imageType)));
    // Every byte once, but for the block that may have been in flight when the connection closed.
    expect(bytesReceived(fleetRoot)).toBeGreaterThanOrEqual(imageSize());
    expect(bytesReceived(fleetRoot) - imageSize()).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('the image cache after a restart', () => {
  it('fetches an image again when the cached file no longer has the SHA-256 recorded for it', async () => {
    const env = await fixedPorts();
    harness = await startConsoleHarness(env);
    const fleet = await harness.startFleet([AP], 1500);
    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    await waitFor(
      'the image fetched and a tenth delivered',
      () => apRow(harness!),
      (ap) => ap.percent > 10,
      20_000,
    );
    await harness.instance.close('controller stopped by SIGTERM');
    harness.browser.close();
    // The cached copy changes while the console is down (a disk error, someone's hand): one byte is enough.
    const cached = path.join(harness.config.dataDir, 'image-cache', 'upgrade-1', AP.imageType);
    const bytes = fs.readFileSync(cached);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(cached, bytes);

    const restarted = await startConsoleHarness(env, harness.config.dataDir);
    harness = restarted;
    restarted.fleet = fleet;
    await waitFor(
      'stage Activate',
      () => restarted.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(restarted.instance.orchestrator.view().stage).toBe('Activate');
    const lines = syslog(restarted);
    expect(lines.filter((line) => line.includes('reused from the image cache'))).toEqual([]);
    expect(lines.filter((line) => line.includes(`Completed install add tftp://127.0.0.1:${server.port}${DEMO_IMAGE_PATH}/${AP.imageType}`))).toHaveLength(2);
    const fleetRoot = path.join(restarted.config.dataDir, 'fleet');
    expect(await sha256OfFile(path.join(agentDirOf(fleetRoot), 'ap-backup.img'))).toBe(await sha256OfFile(path.join(server.root, DEMO_IMAGE_PATH, AP.imageType)));
  });
});

describe('an AP process killed mid-transfer', () => {
  it('resumes from its partial file when started again', async () => {
    harness = await startConsoleHarness({ EWC_RETRY_BASE_MS: '1000', EWC_MAX_RETRIES: '10' });
    const fleetFile = path.join(harness.config.dataDir, 'fleet.json');
    const fleetRoot = path.join(harness.config.dataDir, 'fleet-process');
    fs.writeFileSync(fleetFile, JSON.stringify([AP]));
    const startFleetProcess = () => {
      const args = [
        '--import',
        'tsx',
        'server/sim/ap/fleetCli.ts',
        '--controller',
        harness!.capwapUrl,
        '--file',
        fleetFile,
        '--data-dir',
        fleetRoot,
        '--link-kbps',
        '1500',
        ...fleetCliTrustArgs(harness!),
      ];
      fleetProcess = spawn(process.execPath, args, { stdio: 'ignore' });
    };
    startFleetProcess();
    await waitFor(
      'the AP to join',
      () => harness!.instance.api.getApImage().body as ApImageReport,
      (report) => report.aps.some((ap) => ap.name === AP.name && ap.connected),
      30_000,
    );
    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    await waitFor(
      'a third of the image acknowledged',
      () => apRow(harness!),
      (ap) => ap.percent > 30,
      20_000,
    );

    fleetProcess!.kill('SIGKILL');
    await waitFor(
      'the AP failed with a retry pending',
      () => apRow(harness!),
      (ap) => ap.predownloadStatus === 'Failed' && ap.nextRetryTime !== null,
      10_000,
    );
    const held = fs.statSync(path.join(agentDirOf(fleetRoot), 'ap.part')).size;
    expect(held).toBeGreaterThan(0);
    startFleetProcess();

    await waitFor(
      'stage Activate',
      () => harness!.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      30_000,
    );
    // Retries that came before the process was up again failed with `AP is not connected`; the one after it resumed.
    expect(apRow(harness).predownloadStatus).toBe('Complete');
    expect(apRow(harness).retryCount).toBeGreaterThanOrEqual(1);
    const resumedAt = syslog(harness)
      .map((line) => /Image Data Request sent to 127\.0\.0\.1, fileName \[ap1g8\], resuming at (\d+)/.exec(line))
      .find(Boolean);
    expect(Number(resumedAt?.[1])).toBe(held);
    expect(await sha256OfFile(path.join(agentDirOf(fleetRoot), 'ap-backup.img'))).toBe(await sha256OfFile(path.join(server.root, DEMO_IMAGE_PATH, AP.imageType)));
    expect(bytesReceived(fleetRoot) - imageSize()).toBeLessThanOrEqual(64 * 1024);
  });
});
