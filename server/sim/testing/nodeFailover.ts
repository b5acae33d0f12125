import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApImageReport } from '../../../lib/apImage';
import type { UpgradeView } from '../../../lib/upgradeStage';
import { JOIN_TOKEN_FILE } from '../../pki/joinToken';
import { DEMO_IMAGE_PATH, ensureDemoBundle } from '../demo/demoBundle';
import { freeTcpPort } from './freeTcpPort';
import { checkAfterRestarts, type RestartChecks } from './restartChecks';
import { exited, start, waitForOutput, waitUntil, type Child } from './restartFaultInjection';
import { startTftpdHpa } from './tftpdHpa';

/**
 * Two console nodes on one PostgreSQL database, each its own process (server/sim/testing/consoleProcess.ts)
 * with its own data folder and ports: A leads, B stands by. A predownload runs on A with a fleet process
 * (`npm run fleet`) whose APs list A then B as their controllers; A is killed with SIGKILL mid-delivery; B
 * takes the leader lock and resumes the upgrade; the APs, which keep what they received, move to B by
 * themselves; the run is activated and completes on B.
 */
export interface NodeFailoverOptions {
  /** `EWC_DATABASE_URL` and `EWC_SECRET_KEY` of a fresh database, shared by both nodes. */
  databaseEnv: Record<string, string>;
  leaderTimeoutMs: number;
  linkKbps: number;
  log: (line: string) => void;
}

export interface NodeFailoverReport extends RestartChecks {
  /** What A showed when it was killed. */
  killedAt: string;
  /** From A's SIGKILL to B's console listening, in ms (a figure for the report, never asserted). */
  takeoverMs: number;
  /** From A's SIGKILL until every AP had joined B by itself, in ms (for the report). */
  rejoinedMs: number;
  /** B's start-up lines about its role. */
  roleLines: string[];
  takeoverLines: string[];
  final: { upgrade: UpgradeView; apImage: ApImageReport };
}

interface ConsoleState {
  upgrade: UpgradeView;
  apImage: ApImageReport;
  syslog: { text: string }[];
}

export async function runNodeFailover(options: NodeFailoverOptions): Promise<NodeFailoverReport> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-failover-'));
  const serverRoot = path.join(work, 'tftp');
  const fleetDir = path.join(work, 'fleet');
  ensureDemoBundle(serverRoot, 'scaled');
  const tftpd = await startTftpdHpa({ root: serverRoot });
  // Six ports for two nodes, none twice: a port found free is closed again, and the next search may find it too.
  const taken = new Set<number>();
  const distinctPort = async (): Promise<number> => {
    for (;;) {
      const port = await freeTcpPort();
      if (taken.has(port)) continue;
      taken.add(port);
      return port;
    }
  };
  const node = async (name: string) => {
    const [port, capwapPort, cliPort] = [await distinctPort(), await distinctPort(), await distinctPort()];
    const dataDir = path.join(work, name);
    const env = {
      ...options.databaseEnv,
      PORT: String(port),
      HOST: '127.0.0.1',
      EWC_DATA_DIR: dataDir,
      EWC_NODE_NAME: name,
      EWC_LEADER_TIMEOUT_MS: String(options.leaderTimeoutMs),
      EWC_DEMO: '0',
      EWC_ADMIN_PASSWORD: 'node-failover-admin',
      // Lock-step TFTP with small blocks and slow links, so the predownload lasts long enough to be killed in.
      EWC_TFTP_BLKSIZE: '512',
      EWC_TFTP_WINDOWSIZE: '1',
      EWC_RETRY_BASE_MS: '1000',
      EWC_REJOIN_TIMEOUT_MS: '60000',
      // The fleet is started again against B by hand: the resumed run waits for its APs that long.
      EWC_RESUME_WAIT_MS: '60000',
      EWC_CAPWAP_PORT: String(capwapPort),
      EWC_CLI_PORT: String(cliPort),
      EWC_AP_AUTO_APPROVE: '1',
      EWC_REQUIRE_SIGNED_IMAGES: '0',
    };
    const url = `http://127.0.0.1:${port}`;
    const state = async (): Promise<ConsoleState> => (await fetch(`${url}/test/state`)).json() as Promise<ConsoleState>;
    const trustArgs = ['--ca', path.join(dataDir, 'pki', 'ca.crt'), '--join-token-file', path.join(dataDir, 'pki', JOIN_TOKEN_FILE), '--vendor-keys', path.join(dataDir, 'vendor-keys')];
    return { name, env, url, dataDir, capwapPort, state, trustArgs, child: null as Child | null };
  };
  const a = await node('A');
  const b = await node('B');
  const profile = { mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: false };
  // Every AP lists both nodes: A first, B second. The CA and join token are the database's, so A's copies serve for B too.
  const startFleet = () =>
    start(
      [
        'server/sim/ap/fleetCli.ts',
        '--controller',
        `https://127.0.0.1:${a.capwapPort},https://127.0.0.1:${b.capwapPort}`,
        '--data-dir',
        fleetDir,
        '--link-kbps',
        String(options.linkKbps),
        '--reload-ms',
        '2000',
        ...a.trustArgs,
      ],
      {},
    );
  let fleet: Child | null = null;
  try {
    a.child = start(['server/sim/testing/consoleProcess.ts'], a.env);
    await waitForOutput(a.child, 'console listening');
    b.child = start(['server/sim/testing/consoleProcess.ts'], b.env);
    await waitForOutput(b.child, 'node B: standing by');

    fleet = startFleet();
    await waitForOutput(fleet, 'APs joined');
    const started = await fetch(`${a.url}/test/download`, { method: 'POST', body: JSON.stringify(profile) });
    if (started.status !== 202) throw new Error(`Save & Download answered ${started.status}: ${await started.text()}`);
    // Mid-predownload: an AP part-way through its image.
    let seen: ConsoleState | null = null;
    const midway = await waitUntil(async () => {
      seen = await a.state();
      return seen.apImage.aps.some((ap) => ap.predownloadStatus === 'Predownloading' && ap.percent > 5 && ap.percent < 80);
    }, 120_000);
    if (!midway || !seen) throw new Error('the predownload on A never reached the middle of a delivery');
    const killedAt = describeState(seen);
    a.child.process.kill('SIGKILL');
    const killed = Date.now();
    await exited(a.child);
    options.log(`A killed (SIGKILL): ${killedAt}`);
    // The APs lose their controller and keep what they received (their flash); they try A again, then B.
    await waitForOutput(b.child, 'console listening', 60_000);
    const takeoverMs = Date.now() - killed;
    options.log(`B leads ${takeoverMs} ms after A was killed`);
    const rejoined = await waitUntil(async () => (await b.state()).apImage.aps.filter((ap) => ap.connected).length === seen!.apImage.aps.length, 120_000);
    const rejoinedMs = Date.now() - killed;
    if (!rejoined) throw new Error(`the APs did not all join B: ${describeState(await b.state())}`);
    options.log(`every AP joined B ${rejoinedMs} ms after A was killed`);
    const ready = await waitUntil(async () => ['Activate', 'Failed'].includes((await b.state()).upgrade.stage), 180_000);
    const predownloaded = await b.state();
    if (!ready || predownloaded.upgrade.stage !== 'Activate')
      throw new Error(`The predownload on B ended ${predownloaded.upgrade.stage}: ${predownloaded.upgrade.message}; ${describeState(predownloaded)}`);
    const activated = await fetch(`${b.url}/test/activate`, { method: 'POST' });
    if (activated.status !== 202) throw new Error(`Activate answered ${activated.status}: ${await activated.text()}`);
    await waitUntil(async () => ['Completed', 'Failed'].includes((await b.state()).upgrade.stage), 120_000);
    const final = await b.state();
    options.log(`final on B, ${Math.round((Date.now() - killed) / 1000)} s after A was killed: ${describeState(final)}`);
    const output = b.child.output();
    b.child.process.kill('SIGTERM');
    const exitCode = await exited(b.child);
    const checks = await checkAfterRestarts({
      dataDir: b.dataDir,
      databaseUrl: options.databaseEnv.EWC_DATABASE_URL,
      fleetDir,
      bundleDir: path.join(serverRoot, DEMO_IMAGE_PATH),
      profile,
      final: final.apImage,
      gracefulStop: { exitCode, ms: 0 },
    });
    const takeoverLines = final.syslog.map((line) => line.text).filter((text) => text.startsWith('Controller node '));
    return {
      ...checks,
      killedAt,
      takeoverMs,
      rejoinedMs,
      roleLines: output.split('\n').filter((line) => line.startsWith('node B:')),
      takeoverLines,
      final: { upgrade: final.upgrade, apImage: final.apImage },
    };
  } finally {
    for (const child of [a.child, b.child, fleet]) {
      if (!child || child.process.exitCode !== null || child.process.signalCode !== null) continue;
      child.process.kill('SIGKILL');
      await exited(child);
    }
    await tftpd.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Fencing: a leading node whose lock session is ended under it (what PostgreSQL does to a silent peer, or
 * an admin's `pg_terminate_backend`) must stop leading at once. Answers its exit code and its last output.
 */
export async function runLockLoss(options: { databaseEnv: Record<string, string>; endLockSession: () => Promise<void> }): Promise<{ exitCode: number | null; output: string }> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-fencing-'));
  const env = {
    ...options.databaseEnv,
    PORT: String(await freeTcpPort()),
    HOST: '127.0.0.1',
    EWC_DATA_DIR: work,
    EWC_NODE_NAME: 'A',
    EWC_LEADER_TIMEOUT_MS: '3000',
    EWC_DEMO: '0',
    EWC_ADMIN_PASSWORD: 'node-failover-admin',
    EWC_CAPWAP_PORT: String(await freeTcpPort()),
    EWC_CLI_PORT: String(await freeTcpPort()),
  };
  const child = start(['server/sim/testing/consoleProcess.ts'], env);
  try {
    await waitForOutput(child, 'console listening');
    await options.endLockSession();
    const exitCode = await Promise.race([exited(child), new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 30_000))]);
    if (exitCode === 'running') throw new Error(`the node kept running after its lock session ended:\n${child.output().slice(-2000)}`);
    return { exitCode, output: child.output() };
  } finally {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGKILL');
      await exited(child);
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function describeState(state: ConsoleState): string {
  const aps = state.apImage.aps.map((ap) => `${ap.name}:${ap.predownloadStatus}${ap.percent > 0 && ap.percent < 100 ? ` ${ap.percent}%` : ''}`).join(' ');
  return `stage ${state.upgrade.stage}; ${aps}`;
}
