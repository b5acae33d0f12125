import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import type { ApImageReport } from '../lib/apImage';
import type { UpgradeView } from '../lib/upgradeStage';
import { DEMO_IMAGE_PATH, ensureDemoBundle } from '../server/sim/demo/demoBundle';
import type { RuntimeStats } from '../server/diagnostics/runtimeStats';
import { JOIN_TOKEN_FILE } from '../server/pki/joinToken';
import { freeTcpPort } from '../server/sim/testing/freeTcpPort';
import { sha256File, startTftpdHpa } from '../server/sim/testing/tftpdHpa';
import { startUdpRelay } from '../server/sim/testing/udpRelay';
import { apStorageDir } from '../server/sim/ap/apStorage';
import { cpuMark, cpuShare } from './processCpu';
import { compareModes, describeCpu, describeMemory, fmt, memoryMark, MiB, MODES, type Mode, type Row } from './fleetTables';

// The console under a large fleet, on loopback against tftpd-hpa: for each fleet size, join time,
// predownload time and rate, bytes read from the image server, peak RSS, event-loop delay inside
// the console, API latency while it runs, how late a real browser shows the counters, and a
// digest check of every AP's image. Each size runs on a fresh console and a fresh fleet process.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN_PASSWORD = 'bench-admin-password';
const POLL_MS = 250;
const GOALS = { loopP99Ms: 50, loopMaxMs: 250, apiP99Ms: 200, rssBytes: 1.5 * 1024 ** 3, perApVsFirst: 1.5 };

const USAGE = 'usage: npm run bench:fleet -- [--aps 1000,3000,6000] [--image-bytes 2097152] [--slots N] [--ap-port worker|in-loop|both] [--no-browser] [--cpu-prof DIR]';
const { values } = parseArgs({
  options: {
    aps: { type: 'string', default: '1000,3000,6000' },
    'image-bytes': { type: 'string', default: String(2 * 1024 * 1024) },
    slots: { type: 'string' },
    'no-browser': { type: 'boolean', default: false },
    /** Where the console runs the AP port's connections (EWC_AP_PORT_WORKER); `both` runs each size in each mode, one after the other, and compares them. */
    'ap-port': { type: 'string', default: 'worker' },
    /** Writes a V8 CPU profile of each console run into DIR, to see where its time goes. */
    'cpu-prof': { type: 'string' },
  },
});
const sizes = values.aps.split(',').map(Number);
const imageBytes = Number(values['image-bytes']);
const modes: Mode[] = values['ap-port'] === 'both' ? ['worker', 'in-loop'] : [values['ap-port'] as Mode];
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(imageBytes) || imageBytes < 1 || !modes.every((mode) => mode in MODES)) {
  console.error(USAGE);
  process.exit(2);
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

function waitForOutput(child: ChildProcess, output: () => string, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (output().includes(text)) return resolve();
      if (child.exitCode !== null || Date.now() > deadline) return reject(new Error(`waiting for "${text}" failed:\n${output().slice(-3000)}`));
      setTimeout(check, 50);
    };
    check();
  });
}

/** Runs a TypeScript entry point in its own Node process (node --import tsx, so node flags apply to it). */
function start(args: string[], env: Record<string, string>, nodeFlags: string[] = []): { child: ChildProcess; output: () => string } {
  let text = '';
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (text = (text + chunk.toString()).slice(-20_000)));
  return { child, output: () => text };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

class Api {
  constructor(
    private readonly url: string,
    private cookie = '',
  ) {}

  async login(): Promise<void> {
    const response = await this.call('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    this.cookie = response.headers.get('set-cookie')!.split(';')[0];
  }

  async json<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await this.call(method, route, body);
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  call(method: string, route: string, body?: unknown): Promise<Response> {
    return fetch(`${this.url}${route}`, {
      method,
      headers: { cookie: this.cookie, origin: this.url, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}

/** The page records when each value of the "Completed predownloading" counter first appears on screen. */
async function watchCounter(url: string): Promise<{ page: Page; seen: () => Promise<Array<[number, number]>>; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = await browser.newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel('User Name', { exact: true }).fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.getByTestId('summary-completedPredownloading').waitFor();
  // A string, not a function: tsx's helpers (`__name`) do not exist inside the page.
  await page.evaluate(`(() => {
    const counter = document.querySelector('[data-testid="summary-completedPredownloading"]');
    const seen = [];
    window.counterSeen = seen;
    const record = () => {
      const value = Number(counter.textContent);
      if (Number.isFinite(value) && (seen.length === 0 || seen[seen.length - 1][1] !== value)) seen.push([performance.timeOrigin + performance.now(), value]);
    };
    new MutationObserver(record).observe(counter, { childList: true, characterData: true, subtree: true });
    record();
  })()`);
  return {
    page,
    seen: () => page.evaluate<Array<[number, number]>>('window.counterSeen'),
    close: () => browser.close(),
  };
}

async function runSize(aps: number, mode: Mode, bundleRoot: string, tftpPort: number): Promise<Row> {
  const relay = await startUdpRelay({ serverPort: tftpPort, holdEvery: Number.MAX_SAFE_INTEGER, holdBehind: 0, maxHoldMs: 0 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bench-fleet-'));
  const port = await freeTcpPort();
  const capwapPort = await freeTcpPort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(port),
    EWC_CAPWAP_PORT: String(capwapPort),
    // The bench reads over plain HTTP on loopback; its HTTPS port takes any free one.
    EWC_HTTPS_PORT: '0',
    // The SSH CLI too: another console on this machine may hold its default port.
    EWC_CLI_PORT: '0',
    EWC_AP_PORT_WORKER: MODES[mode],
    EWC_DATA_DIR: dataDir,
    EWC_DEMO: '0',
    EWC_ADMIN_PASSWORD: ADMIN_PASSWORD,
    EWC_AP_AUTO_APPROVE: '1',
    EWC_MAX_APS: String(Math.max(aps, 6000)),
    // Every simulated AP connects from 127.0.0.1; real APs each have their own address.
    EWC_AP_CONNECTIONS_PER_SOURCE: String(Math.max(aps, 6000)),
    EWC_AP_HANDSHAKES_PER_SOURCE: String(Math.max(aps, 6000)),
    // And they all enrol and join in the same seconds on a machine shared with other work: the hardening
    // deadline for a silent connection (10 s) would cut handshakes that merely wait their turn.
    EWC_AP_HANDSHAKE_TIMEOUT_MS: '120000',
    // The bench's generated bundle carries no vendor signature manifest (signing has its own tests).
    EWC_REQUIRE_SIGNED_IMAGES: '0',
    // The allocator setting `npm start` gives the console (scripts/start.mjs says why), unless set already.
    MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '65536',
  };
  if (values.slots) env.EWC_MAX_CONCURRENT_PREDOWNLOADS = values.slots;
  const consoleProcess = start(['server/main.ts'], env, values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`] : []);
  let fleetProcess: ReturnType<typeof start> | null = null;
  let watcher: Awaited<ReturnType<typeof watchCounter>> | null = null;
  try {
    await waitForOutput(consoleProcess.child, consoleProcess.output, 'no simulated fleet', 120_000);
    const api = new Api(url);
    await api.login();

    // The join phase's own event-loop figures, start-up excluded.
    await api.json('POST', '/api/diagnostics/reset');
    const joinStart = Date.now();
    const joinCpuStart = cpuMark(consoleProcess.child.pid!, undefined);
    const pki = path.join(dataDir, 'pki');
    const trust = ['--ca', path.join(pki, 'ca.crt'), '--join-token-file', path.join(pki, JOIN_TOKEN_FILE), '--vendor-keys', path.join(dataDir, 'vendor-keys')];
    const capwapUrl = `https://127.0.0.1:${capwapPort}`;
    fleetProcess = start(['server/sim/ap/fleetCli.ts', '--controller', capwapUrl, '--count', String(aps), '--digest-only', '--data-dir', path.join(dataDir, 'fleet'), ...trust], {});
    await waitForOutput(fleetProcess.child, fleetProcess.output, ` ${aps} APs joined`.slice(1), 600_000);
    const joinS = (Date.now() - joinStart) / 1000;
    const joinCpu = cpuShare(joinCpuStart, cpuMark(consoleProcess.child.pid!, fleetProcess.child.pid));

    watcher = values['no-browser'] ? null : await watchCounter(url);
    const joinStats = await api.json<RuntimeStats>('POST', '/api/diagnostics/reset');
    const predownloadCpuStart = cpuMark(consoleProcess.child.pid!, fleetProcess.child.pid);
    const apiSamples: number[] = [];
    const apiSeen: Array<[number, number]> = [];
    const predownloadStart = Date.now();
    await api.json('POST', '/api/software-upgrade/download', { mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: relay.port, parallelMode: true });
    let upgrade: UpgradeView;
    for (;;) {
      const asked = Date.now();
      upgrade = await api.json<UpgradeView>('GET', '/api/software-upgrade');
      apiSamples.push(Date.now() - asked);
      const counters = await api.json<ApImageReport>('GET', '/api/ap-image?limit=1');
      const completed = counters.summary.completedPredownloading;
      if (apiSeen.length === 0 || apiSeen[apiSeen.length - 1][1] !== completed) apiSeen.push([Date.now(), completed]);
      if (upgrade.stage === 'Activate' || upgrade.stage === 'Failed') break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const predownloadS = (Date.now() - predownloadStart) / 1000;
    const predownloadCpu = cpuShare(predownloadCpuStart, cpuMark(consoleProcess.child.pid!, fleetProcess.child.pid));
    if (upgrade.stage !== 'Activate') throw new Error(`${aps} APs: the predownload ended ${upgrade.stage}: ${upgrade.message}`);
    const stats = await api.json<RuntimeStats>('GET', '/api/diagnostics');

    // How late the page showed each counter value the API had already reported.
    let screenLags: number[] = [];
    if (watcher) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const seen = await watcher.seen();
      screenLags = apiSeen.map(([at, value]) => {
        const shown = seen.find(([, shownValue]) => shownValue >= value);
        return shown ? Math.max(0, shown[0] - at) : Infinity;
      });
    }

    const report = await api.json<ApImageReport>('GET', '/api/ap-image');
    const digests = new Map<string, string>();
    let digestsOk = 0;
    for (const row of report.aps) {
      if (!digests.has(row.imageType)) digests.set(row.imageType, await sha256File(path.join(bundleRoot, DEMO_IMAGE_PATH, row.imageType)));
      const state = JSON.parse(fs.readFileSync(path.join(apStorageDir(path.join(dataDir, 'fleet'), row.mac), 'state.json'), 'utf8')) as { backupSha256: string | null };
      if (row.predownloadStatus === 'Complete' && row.backupImageSha256 === digests.get(row.imageType) && state.backupSha256 === digests.get(row.imageType)) digestsOk += 1;
    }
    const distinctBytes = digests.size * imageBytes + 2 * 32;
    return {
      aps,
      mode,
      joinS,
      predownloadS,
      rateMBps: (aps * imageBytes) / 1e6 / predownloadS,
      bytesRead: relay.dataBytes,
      distinctBytes,
      peakRss: stats.peakRssBytes,
      loop: stats.eventLoopDelayMs,
      apiP50: percentile(apiSamples, 50),
      apiP99: percentile(apiSamples, 99),
      apiMax: Math.max(...apiSamples),
      screenLagP50: watcher ? percentile(screenLags, 50) : null,
      screenLagMax: watcher ? Math.max(...screenLags) : null,
      digestsOk,
      joinLoop: joinStats.eventLoopDelayMs,
      cpu: { join: joinCpu, predownload: predownloadCpu },
      memory: { join: memoryMark(joinStats), predownload: memoryMark(stats) },
    };
  } finally {
    await watcher?.close();
    if (fleetProcess) await stop(fleetProcess.child);
    await stop(consoleProcess.child);
    await relay.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const bundleRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bench-bundle-'));
  ensureDemoBundle(bundleRoot, imageBytes);
  const tftpd = await startTftpdHpa({ root: bundleRoot });
  const rows: Row[] = [];
  try {
    for (const aps of sizes) {
      for (const mode of modes) {
        console.error(`${aps} APs, AP port ${mode === 'worker' ? 'in a worker thread' : "on the console's event loop"} …`);
        const row = await runSize(aps, mode, bundleRoot, tftpd.port);
        rows.push(row);
        // Each row as soon as it is measured: a later size that fails does not take it along.
        console.error(JSON.stringify(row));
      }
    }
  } finally {
    await tftpd.stop();
    fs.rmSync(bundleRoot, { recursive: true, force: true });
  }

  console.log(`\nFleet bench: ${imageBytes / MiB} MiB images, tftpd-hpa on loopback, Parallel Mode, ${os.cpus().length} cores, digest-only simulated APs\n`);
  console.log(
    '| APs | AP port | join (s) | predownload (s) | per AP (ms) | rate (MB/s) | read from server / distinct | peak RSS (MiB) | loop p50/p99/max (ms) | API p50/p99/max (ms) | counter on screen, lag p50/max (ms) | byte-exact |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.aps} | ${r.mode} | ${fmt(r.joinS, 1)} | ${fmt(r.predownloadS, 1)} | ${fmt((r.predownloadS * 1000) / r.aps, 1)} | ${fmt(r.rateMBps, 1)} | ${fmt(r.bytesRead / r.distinctBytes, 2)} | ${fmt(r.peakRss / MiB)} | ${r.loop.p50}/${r.loop.p99}/${r.loop.max} | ${fmt(r.apiP50)}/${fmt(r.apiP99)}/${fmt(r.apiMax)} | ${fmt(r.screenLagP50)}/${fmt(r.screenLagMax)} | ${r.digestsOk}/${r.aps} |`,
    );
  }
  if (modes.length > 1) compareModes(rows, sizes);
  describeCpu(rows);
  describeMemory(rows);
  const misses: string[] = [];
  for (const r of rows) {
    // Each mode against its own first size: the per-AP goal is about how a mode scales.
    const first = rows.find((row) => row.mode === r.mode)!;
    const at = `${r.aps} APs (${r.mode})`;
    if (r.loop.p99 > GOALS.loopP99Ms) misses.push(`${at}: event-loop p99 ${r.loop.p99} ms > ${GOALS.loopP99Ms} ms`);
    if (r.loop.max > GOALS.loopMaxMs) misses.push(`${at}: event-loop max ${r.loop.max} ms > ${GOALS.loopMaxMs} ms`);
    if (r.apiP99 > GOALS.apiP99Ms) misses.push(`${at}: API p99 ${r.apiP99} ms > ${GOALS.apiP99Ms} ms`);
    if (r.peakRss > GOALS.rssBytes) misses.push(`${at}: peak RSS ${fmt(r.peakRss / MiB)} MiB > 1536 MiB`);
    const perAp = r.predownloadS / r.aps / (first.predownloadS / first.aps);
    if (r !== first && perAp > GOALS.perApVsFirst) misses.push(`${at}: predownload time per AP ${perAp.toFixed(2)}x its value at ${first.aps} APs > ${GOALS.perApVsFirst}x`);
    if (r.digestsOk !== r.aps) misses.push(`${at}: ${r.aps - r.digestsOk} AP(s) without a verified image`);
  }
  console.log(misses.length === 0 ? '\nEvery row meets the goals.' : `\nMissed goals:\n${misses.map((m) => `- ${m}`).join('\n')}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
