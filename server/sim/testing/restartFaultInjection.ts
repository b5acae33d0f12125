import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApImageReport } from '../../../lib/apImage';
import type { UpgradeView } from '../../../lib/upgradeStage';
import { DEMO_IMAGE_PATH, ensureDemoBundle } from '../demo/demoBundle';
import { checkAfterRestarts, type RestartChecks } from './restartChecks';
import { startTftpdHpa } from './tftpdHpa';
import { JOIN_TOKEN_FILE } from '../../pki/joinToken';
import { freeTcpPort } from './freeTcpPort';

/**
 * Fault injection, to prove an upgrade survives the controller being killed: the console runs as its own process (server/sim/testing/consoleProcess.ts)
 * and the fleet as another (`npm run fleet`); the console is killed with SIGKILL (once with SIGTERM) at
 * random moments of fetch, delivery, verification and reload, and started again each time on the same
 * port and data folder. At the end the fleet must run the new image, byte-exact, each byte delivered once.
 * With `twoNodes`, two nodes on one PostgreSQL database and a fleet listing both: each kill hits the leader,
 * the standby takes over, the APs move to it, and the killed node starts again as the standby.
 */
export type KillPhase = 'fetch' | 'delivery' | 'verification' | 'reload';

export interface KillPoint {
  n: number;
  phase: KillPhase;
  signal: 'SIGKILL' | 'SIGTERM';
  /** What the console showed at that moment: stage, fetches, AP statuses and percents. */
  seen: string;
  /** How long the restarted console took to move again (stage or bytes), in ms; not measured during Reload. */
  resumedAfterMs: number | null;
  /** The line the restarted console logged about it (`Controller restarted: resuming upgrade N at stage S`). */
  resumedLine: string | null;
}

export interface FaultInjectionOptions {
  /** Kill points during the predownload (fetch, delivery, verification), then up to `reloadKills` during Reload. */
  predownloadKills: number;
  reloadKills: number;
  linkKbps: number;
  seed: number;
  log: (line: string) => void;
  /**
   * Two console nodes on this PostgreSQL database (`EWC_DATABASE_URL`, `EWC_SECRET_KEY`) instead of one on
   * SQLite: each kill hits the leader, the standby takes over, and the killed node comes back as the standby.
   */
  twoNodes?: Record<string, string>;
}

export interface FaultInjectionReport extends RestartChecks {
  killPoints: KillPoint[];
  finalStage: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PHASES: KillPhase[] = ['fetch', 'delivery', 'verification'];

export interface Child {
  process: ChildProcess;
  output: () => string;
}

/**
 * Node itself with tsx's loader, not the `tsx` wrapper: the wrapper runs the script in a child process, and
 * a SIGKILL to the wrapper would leave that child (the console) running.
 */
export function start(args: string[], env: Record<string, string>): Child {
  let text = '';
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => (text = (text + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { process: child, output: () => text };
}

export async function waitForOutput(child: Child, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!child.output().includes(text)) {
    if (child.process.exitCode !== null || Date.now() > deadline) throw new Error(`waiting for "${text}" failed:\n${child.output().slice(-3000)}`);
    await sleep(25);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function exited(child: Child): Promise<number | null> {
  // A process ended by a signal has no exit code, only its signal.
  const ended = child.process.exitCode !== null || child.process.signalCode !== null;
  return ended ? Promise.resolve(child.process.exitCode) : new Promise((resolve) => child.process.once('exit', (code) => resolve(code)));
}

interface ConsoleState {
  upgrade: UpgradeView;
  apImage: ApImageReport;
  syslog: { text: string }[];
}

/** A small reproducible random source (mulberry32), so a failing seed can be run again. */
function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function describe(state: ConsoleState): string {
  const fetches = state.upgrade.fetches.map((f) => `${f.fileName} ${f.bytes}/${f.totalBytes ?? '?'}`).join(', ');
  const aps = state.apImage.aps.map((ap) => `${ap.name}:${ap.predownloadStatus}${ap.percent > 0 && ap.percent < 100 ? ` ${ap.percent}%` : ''}`).join(' ');
  return `stage ${state.upgrade.stage}${fetches ? `; fetching ${fetches}` : ''}; ${aps}`;
}

/** Which phase the console is in now, as a user would read it off the page. */
function phaseOf(state: ConsoleState, previous: ConsoleState | null): KillPhase | null {
  if (state.upgrade.stage === 'Reload') return 'reload';
  const completeNow = state.apImage.aps.filter((ap) => ap.predownloadStatus === 'Complete').length;
  const completeBefore = previous?.apImage.aps.filter((ap) => ap.predownloadStatus === 'Complete').length ?? completeNow;
  // All bytes acknowledged, the AP checking its SHA-256, or a Complete that may not be in the database yet.
  if (completeNow > completeBefore || state.apImage.aps.some((ap) => ap.predownloadStatus === 'Predownloading' && ap.percent === 100)) return 'verification';
  if (state.upgrade.fetches.some((f) => f.bytes > 0)) return 'fetch';
  if (state.apImage.aps.some((ap) => ap.predownloadStatus === 'Predownloading' && ap.percent > 0)) return 'delivery';
  return null;
}

export async function runRestartFaultInjection(options: FaultInjectionOptions): Promise<FaultInjectionReport> {
  const random = randomFrom(options.seed);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-restart-'));
  const serverRoot = path.join(work, 'tftp');
  const dataDir = path.join(work, 'console');
  const fleetDir = path.join(work, 'fleet');
  ensureDemoBundle(serverRoot, 'scaled');
  const tftpd = await startTftpdHpa({ root: serverRoot });
  const node = async (name: string, dataDir: string) => {
    const port = await freeTcpPort();
    const capwapPort = await freeTcpPort();
    const env = {
      ...(options.twoNodes ?? {}),
      ...(options.twoNodes ? { EWC_NODE_NAME: name, EWC_LEADER_TIMEOUT_MS: '3000', EWC_CLI_PORT: String(await freeTcpPort()) } : {}),
      PORT: String(port),
      HOST: '127.0.0.1',
      EWC_DATA_DIR: dataDir,
      EWC_DEMO: '0',
      EWC_ADMIN_PASSWORD: 'fault-injection-admin',
      // Lock-step TFTP with small blocks, so a fetch lasts long enough to be killed in.
      EWC_TFTP_BLKSIZE: '512',
      EWC_TFTP_WINDOWSIZE: '1',
      EWC_RETRY_BASE_MS: '1000',
      EWC_REJOIN_TIMEOUT_MS: '60000',
      EWC_RESUME_WAIT_MS: '20000',
      EWC_CAPWAP_PORT: String(capwapPort),
      EWC_AP_AUTO_APPROVE: '1',
      // The generated test bundle is not signed (signing is tested in server/imageSigning).
      EWC_REQUIRE_SIGNED_IMAGES: '0',
    };
    return { name, dataDir, capwapPort, env, url: `http://127.0.0.1:${port}`, child: null as Child | null };
  };
  const nodes = options.twoNodes ? [await node('A', path.join(work, 'node-a')), await node('B', path.join(work, 'node-b'))] : [await node('console', dataDir)];
  let leader = nodes[0];
  const profile = { mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: false };
  const state = async (): Promise<ConsoleState> => (await fetch(`${leader.url}/test/state`)).json() as Promise<ConsoleState>;
  const post = async (route: string, body?: unknown) => fetch(`${leader.url}${route}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });

  let fleet: Child | null = null;
  /** Starts a node's process; resolves once it leads, or (two nodes) once it leads or stands by. */
  const startNode = async (which: (typeof nodes)[number]) => {
    which.child = start(['server/sim/testing/consoleProcess.ts'], which.env);
    const child = which.child;
    await waitUntil(async () => child.output().includes('console listening') || (options.twoNodes !== undefined && child.output().includes('standing by')) || child.process.exitCode !== null, 60_000);
    if (!child.output().includes('console listening') && !child.output().includes('standing by')) throw new Error(`${which.name} did not start:\n${child.output().slice(-3000)}`);
  };
  /** The node that leads once one does: after a kill, the standby that took over (or the killed one, back first). */
  const leaderNow = async () => {
    const found = await waitUntil(async () => nodes.some((n) => n.child?.output().includes('console listening') && n.child.process.exitCode === null && n.child.process.signalCode === null), 60_000);
    if (!found) throw new Error('no node leads');
    return nodes.find((n) => n.child?.output().includes('console listening') && n.child.process.exitCode === null && n.child.process.signalCode === null)!;
  };
  const killPoints: KillPoint[] = [];
  try {
    for (const n of nodes) await startNode(n);
    leader = await leaderNow();
    const pki = path.join(leader.dataDir, 'pki');
    const trustArgs = ['--ca', path.join(pki, 'ca.crt'), '--join-token-file', path.join(pki, JOIN_TOKEN_FILE), '--vendor-keys', path.join(leader.dataDir, 'vendor-keys')];
    const controllers = nodes.map((n) => `https://127.0.0.1:${n.capwapPort}`).join(',');
    fleet = start(['server/sim/ap/fleetCli.ts', '--controller', controllers, '--data-dir', fleetDir, '--link-kbps', String(options.linkKbps), '--reload-ms', '8000', ...trustArgs], {});
    await waitForOutput(fleet, 'APs joined');
    const started = await post('/test/download', profile);
    if (started.status !== 202) throw new Error(`Save & Download answered ${started.status}: ${await started.text()}`);

    const kill = async (phase: KillPhase, now: ConsoleState, justEnded = false) => {
      const signal = killPoints.length === 1 ? 'SIGTERM' : 'SIGKILL';
      const killed = leader;
      const child = killed.child!;
      child.process.kill(signal);
      await exited(child);
      const point: KillPoint = { n: killPoints.length + 1, phase, signal, seen: `${justEnded ? `the ${phase} had just ended; ` : ''}${describe(now)}`, resumedAfterMs: null, resumedLine: null };
      killPoints.push(point);
      options.log(`kill ${point.n} (${signal}) during ${phase}: ${point.seen}`);
      // The console stays away for a random moment, as a real restart would.
      await sleep(random() * 1000);
      const restartedAt = Date.now();
      // The killed node starts again: alone, it leads again; beside a standby, it stands by behind the one that took over.
      await startNode(killed);
      leader = await leaderNow();
      const restarted = await state();
      point.resumedLine =
        restarted.syslog
          .map((line) => line.text)
          .filter((text) => text.startsWith('Controller restarted:') || text.startsWith('Controller node '))
          .at(-1) ?? null;
      // During Reload the next kill comes while the APs are still away: nothing is waited for.
      if (phase === 'reload') return;
      const before = JSON.stringify(restarted.apImage.aps.map((ap) => [ap.predownloadStatus, ap.percent]));
      const moved = await waitUntil(async () => {
        const s = await state();
        return JSON.stringify(s.apImage.aps.map((ap) => [ap.predownloadStatus, ap.percent])) !== before || ['Activate', 'Completed', 'Failed'].includes(s.upgrade.stage);
      }, 60_000);
      point.resumedAfterMs = moved ? Date.now() - restartedAt : null;
    };

    // Predownload: the kills wait for a fetch, a delivery and a verification in turn, each at a random moment
    // of it; the first three wait long enough for each to come, the others take whatever phase runs after 1-3 s.
    while (killPoints.length < options.predownloadKills) {
      const wanted = PHASES[killPoints.length % PHASES.length];
      const deadline = Date.now() + (killPoints.length < PHASES.length ? 30_000 : 1000 + random() * 2000);
      let previous: ConsoleState | null = null;
      let hit: { phase: KillPhase; now: ConsoleState; justEnded?: boolean } | null = null;
      while (!hit) {
        let now = await state();
        if (now.upgrade.stage === 'Activate' || now.upgrade.stage === 'Failed') break;
        const phase = phaseOf(now, previous);
        if (phase === wanted && phase !== 'verification') {
          // A random moment inside the phase (a fetch lasts a second or so, a delivery several).
          await sleep(random() * (phase === 'fetch' ? 150 : 400));
          now = await state();
          hit = { phase: phaseOf(now, null) ?? phase, now, justEnded: phaseOf(now, null) === null };
        } else if (phase && (phase === wanted || Date.now() > deadline)) {
          hit = { phase, now };
        }
        previous = now;
        await sleep(10);
      }
      if (!hit) break;
      await kill(hit.phase, hit.now, hit.justEnded);
    }
    await waitUntil(async () => ['Activate', 'Failed'].includes((await state()).upgrade.stage), 180_000);
    const ready = await state();
    if (ready.upgrade.stage !== 'Activate') throw new Error(`The predownload ended ${ready.upgrade.stage}: ${ready.upgrade.message}; ${describe(ready)}`);

    // Activation: the first kill right after Activate (before or while APs are told), the others at random moments of
    // Reload, while the APs are away (each stays away 8 s as it reloads).
    const activated = await post('/test/activate');
    if (activated.status !== 202) throw new Error(`Activate answered ${activated.status}: ${await activated.text()}`);
    for (let i = 0; i < options.reloadKills; i++) {
      if (i > 0) await sleep(random() * 1500);
      const now = await state();
      if (now.upgrade.stage !== 'Reload') break;
      await kill('reload', now);
    }
    await waitUntil(async () => ['Completed', 'Failed'].includes((await state()).upgrade.stage), 120_000);
    const final = await state();
    options.log(`final: ${describe(final)}`);

    // A graceful stop at the end: it must exit within its bound, with the last tick written.
    const stopping = Date.now();
    leader.child!.process.kill('SIGTERM');
    const exitCode = await exited(leader.child!);
    const stopMs = Date.now() - stopping;
    // Two nodes: the standby would take over the ended run; it is stopped before the database is read.
    for (const n of nodes.filter((n) => n !== leader)) {
      n.child?.process.kill('SIGKILL');
      if (n.child) await exited(n.child);
    }
    const checks = await checkAfterRestarts({
      dataDir: leader.dataDir,
      databaseUrl: options.twoNodes?.EWC_DATABASE_URL,
      fleetDir,
      bundleDir: path.join(serverRoot, DEMO_IMAGE_PATH),
      profile,
      final: final.apImage,
      gracefulStop: { exitCode, ms: stopMs },
    });
    return { ...checks, killPoints, finalStage: final.upgrade.stage };
  } finally {
    const stopChild = async (child: Child | null) => {
      if (!child || child.process.exitCode !== null) return;
      child.process.kill('SIGTERM');
      await Promise.race([exited(child), sleep(10_000)]);
      if (child.process.exitCode === null) child.process.kill('SIGKILL');
    };
    for (const n of nodes) await stopChild(n.child);
    await stopChild(fleet);
    await tftpd.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return false;
}
