import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ApImageReport } from '../lib/apImage';
import type { UpgradeView } from '../lib/upgradeStage';
import { JOIN_TOKEN_FILE } from '../server/pki/joinToken';
import { DEMO_IMAGE_PATH, ensureDemoBundle } from '../server/sim/demo/demoBundle';
import { freeTcpPort } from '../server/sim/testing/freeTcpPort';
import { startPostgres, TEST_SECRET_KEY, type PostgresServer } from '../server/sim/testing/postgresServer';
import { checkAfterRestarts } from '../server/sim/testing/restartChecks';
import { exited, sleep, start, waitForOutput, waitUntil, type Child } from '../server/sim/testing/restartFaultInjection';
import { startTftpdHpa } from '../server/sim/testing/tftpdHpa';

// `npm run bench:cluster -- --nodes 1,2,3 --aps N`: console nodes (server/sim/testing/consoleProcess.ts, each its own
// process) on one PostgreSQL database, one leading and the others standing by, and a fleet process whose APs list
// the nodes as primary, secondary and tertiary controller. For each node count: a predownload without failure (join
// time, predownload time, what every node's API answers and how fast, bytes fetched from the image server), then,
// with two nodes or more, a failover run: the leader killed with SIGKILL mid-predownload and again mid-reload (the
// first killed node started again as a standby when no third node waits), and what it cost.
const USAGE = 'usage: npm run bench:cluster -- [--nodes 1,2,3] [--aps 60] [--link-kbps 4000] [--leader-timeout-ms 5000]';
const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1,2,3' },
    aps: { type: 'string', default: '60' },
    'link-kbps': { type: 'string', default: '4000' },
    'leader-timeout-ms': { type: 'string', default: '5000' },
  },
});
const nodeCounts = values.nodes.split(',').map(Number);
const apCount = Number(values.aps);
const linkKbps = Number(values['link-kbps']);
const leaderTimeoutMs = Number(values['leader-timeout-ms']);
if (nodeCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 3) || !Number.isInteger(apCount) || apCount < 1 || !(linkKbps > 0) || !(leaderTimeoutMs >= 1000)) {
  console.error(USAGE + '\n  (1 to 3 nodes: an AP lists at most three controllers)');
  process.exit(2);
}

interface State {
  upgrade: UpgradeView;
  apImage: ApImageReport;
  syslog: { text: string }[];
  moved: { fetchedBytes: number; deliveredBytes: number };
}

interface Node {
  name: string;
  url: string;
  dataDir: string;
  capwapPort: number;
  env: Record<string, string>;
  child: Child | null;
  /** Bytes this node's console process fetched from the image server, as last seen. */
  fetchedBytes: number;
  /** What its earlier processes (killed, then started again) had fetched when last seen. */
  fetchedBefore: number;
  /** GET /test/upgrade (what GET /api/software-upgrade answers): status and time of each request. */
  latencies: { status: number; ms: number }[];
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bench-cluster-'));
const serverRoot = path.join(work, 'tftp');
ensureDemoBundle(serverRoot, 'scaled');
const tftpd = await startTftpdHpa({ root: serverRoot });
const postgres: PostgresServer = await startPostgres();
const profile = { mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: false };
const bundleBytes = fs.readdirSync(path.join(serverRoot, DEMO_IMAGE_PATH)).reduce((sum, file) => sum + fs.statSync(path.join(serverRoot, DEMO_IMAGE_PATH, file)).size, 0);

/** `via`: the node that forwarded the answer from the leader (a standby's `X-EWC-Via`), null when the node answered itself. */
const getJson = async <T>(url: string): Promise<{ status: number; body: T | null; via: string | null }> => {
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return { status: answer.status, body: answer.status === 200 ? ((await answer.json()) as T) : (await answer.text(), null), via: answer.headers.get('x-ewc-via') };
  } catch {
    return { status: 0, body: null, via: null };
  }
};
const stateOf = async (node: Node): Promise<State | null> => {
  const { body } = await getJson<State>(`${node.url}/test/state`);
  if (body) node.fetchedBytes = body.moved.fetchedBytes;
  return body;
};
const running = (node: Node) => node.child !== null && node.child.process.exitCode === null && node.child.process.signalCode === null;

async function makeNode(name: string, databaseUrl: string, runDir: string): Promise<Node> {
  const port = await freeTcpPort();
  const capwapPort = await freeTcpPort();
  const cliPort = await freeTcpPort();
  const dataDir = path.join(runDir, name);
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    capwapPort,
    child: null,
    fetchedBytes: 0,
    fetchedBefore: 0,
    latencies: [],
    env: {
      EWC_DATABASE_URL: databaseUrl,
      EWC_SECRET_KEY: TEST_SECRET_KEY,
      EWC_NODE_NAME: name,
      EWC_LEADER_TIMEOUT_MS: String(leaderTimeoutMs),
      PORT: String(port),
      HOST: '127.0.0.1',
      EWC_DATA_DIR: dataDir,
      EWC_DEMO: '0',
      EWC_ADMIN_PASSWORD: 'bench-cluster-admin',
      EWC_CAPWAP_PORT: String(capwapPort),
      EWC_CLI_PORT: String(cliPort),
      EWC_AP_AUTO_APPROVE: '1',
      // The generated bundle is unsigned (signing is tested in server/imageSigning).
      EWC_REQUIRE_SIGNED_IMAGES: '0',
      EWC_REJOIN_TIMEOUT_MS: '120000',
      EWC_RESUME_WAIT_MS: '60000',
    },
  };
}

function startNode(node: Node): Child {
  node.fetchedBefore += node.fetchedBytes;
  node.fetchedBytes = 0;
  node.child = start(['server/sim/testing/consoleProcess.ts'], node.env);
  return node.child;
}

/** Samples every running node's API every 250 ms until stopped. */
function sampleApis(nodes: Node[]): () => Promise<void> {
  let on = true;
  const loop = (async () => {
    while (on) {
      await Promise.all(
        nodes.filter(running).map(async (node) => {
          const begun = performance.now();
          const { status } = await getJson(`${node.url}/test/upgrade`);
          node.latencies.push({ status, ms: performance.now() - begun });
        }),
      );
      await sleep(250);
    }
  })();
  return async () => {
    on = false;
    await loop;
  };
}

const p99 = (values: number[]) => (values.length === 0 ? NaN : [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.99))]);
const apiText = (node: Node) => {
  const byStatus = new Map<number, number[]>();
  for (const { status, ms } of node.latencies) byStatus.set(status, [...(byStatus.get(status) ?? []), ms]);
  return [...byStatus].map(([status, ms]) => `${status === 0 ? 'no answer' : status} ×${ms.length} p99 ${p99(ms).toFixed(1)} ms`).join(', ') || 'not asked';
};

/** The node that leads now (its /test/upgrade answers, not forwarded from another), waiting up to `timeoutMs` for one. */
async function leaderOf(nodes: Node[], timeoutMs: number): Promise<Node | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const node of nodes.filter(running)) {
      const answer = await getJson(`${node.url}/test/upgrade`);
      if (answer.status === 200 && answer.via === null) return node;
    }
    await sleep(50);
  }
  return null;
}

const progressKey = (state: State) => JSON.stringify([state.upgrade.stage, state.apImage.aps.map((ap) => [ap.predownloadStatus, ap.percent])]);

interface RunResult {
  nodes: Node[];
  joinMs: number;
  predownloadMs: number | null;
  failovers: { phase: string; killed: string; seen: string; leadsMs: number | null; movesMs: number | null; rejoinedMs: number | null; rejoined: number }[];
  finalStage: string;
  exact: number;
  supported: number;
  deliveredTwice: number;
  duplicatedEvents: string[];
}

async function runOnce(nodeCount: number, failover: boolean): Promise<RunResult> {
  const runDir = fs.mkdtempSync(path.join(work, `run-${nodeCount}-`));
  const databaseUrl = await postgres.createDatabase();
  const nodes: Node[] = [];
  for (const name of ['A', 'B', 'C'].slice(0, nodeCount)) nodes.push(await makeNode(name, databaseUrl, runDir));
  const fleetDir = path.join(runDir, 'fleet');
  let fleet: Child | null = null;
  const failovers: RunResult['failovers'] = [];
  try {
    await waitForOutput(startNode(nodes[0]), 'console listening', 120_000);
    for (const node of nodes.slice(1)) await waitForOutput(startNode(node), `node ${node.name}: standing by`, 120_000);
    const pki = path.join(nodes[0].dataDir, 'pki');
    const joinStarted = Date.now();
    fleet = start(
      [
        'server/sim/ap/fleetCli.ts',
        '--controller',
        nodes.map((node) => `https://127.0.0.1:${node.capwapPort}`).join(','),
        '--count',
        String(apCount),
        '--data-dir',
        fleetDir,
        '--link-kbps',
        String(linkKbps),
        '--reload-ms',
        '3000',
        '--ca',
        path.join(pki, 'ca.crt'),
        '--join-token-file',
        path.join(pki, JOIN_TOKEN_FILE),
        '--vendor-keys',
        path.join(nodes[0].dataDir, 'vendor-keys'),
      ],
      {},
    );
    await waitForOutput(fleet, 'APs joined', 600_000);
    const joinMs = Date.now() - joinStarted;
    const stopSampling = sampleApis(nodes);
    let leader = nodes[0];
    const started = await fetch(`${leader.url}/test/download`, { method: 'POST', body: JSON.stringify(profile) });
    if (started.status !== 202) throw new Error(`Save & Download answered ${started.status}: ${await started.text()}`);
    const downloadStarted = Date.now();

    /** Kills the leader with SIGKILL once `when` holds, then waits for another node to lead and the run to move again. */
    const killLeader = async (phase: string, when: (state: State) => boolean) => {
      let seen: State | null = null;
      const found = await waitUntil(async () => {
        seen = await stateOf(leader);
        return seen !== null && when(seen);
      }, 600_000);
      if (!found || !seen) throw new Error(`the ${phase} never came on ${leader.name}`);
      const before = seen as State;
      leader.child!.process.kill('SIGKILL');
      const killedAt = Date.now();
      await exited(leader.child!);
      const killed = leader;
      const next = await leaderOf(nodes, 120_000);
      const leadsMs = next ? Date.now() - killedAt : null;
      if (!next) throw new Error(`no node took over from ${killed.name}`);
      leader = next;
      const firstSeen = await stateOf(leader);
      const key = firstSeen ? progressKey(firstSeen) : '';
      const moved = await waitUntil(async () => {
        const now = await stateOf(leader);
        return now !== null && progressKey(now) !== key;
      }, 120_000);
      const movesMs = moved ? Date.now() - killedAt : null;
      const rejoinedAll = await waitUntil(async () => ((await stateOf(leader))?.apImage.aps.filter((ap) => ap.connected).length ?? 0) >= apCount, 180_000);
      const after = await stateOf(leader);
      failovers.push({
        phase,
        killed: killed.name,
        seen: `stage ${before.upgrade.stage}, ${before.apImage.aps.filter((ap) => ap.predownloadStatus === 'Complete').length} Complete, ${before.apImage.aps.filter((ap) => ap.predownloadStatus === 'Predownloading').length} Predownloading, ${before.apImage.aps.filter((ap) => ap.predownloadStatus === 'Reloading').length} Reloading`,
        leadsMs,
        movesMs,
        rejoinedMs: rejoinedAll ? Date.now() - killedAt : null,
        rejoined: after?.apImage.aps.filter((ap) => ap.connected).length ?? 0,
      });
      // Two nodes: the killed one comes back as a standby, so that the next kill has a node to move to.
      if (nodes.filter(running).length < 2) await waitForOutput(startNode(killed), `node ${killed.name}: standing by`, 120_000);
    };

    if (failover) await killLeader('predownload', (s) => s.apImage.aps.some((ap) => ap.predownloadStatus === 'Predownloading' && ap.percent > 5 && ap.percent < 80));
    const ready = await waitUntil(async () => ['Activate', 'Failed'].includes((await stateOf(leader))?.upgrade.stage ?? ''), 900_000);
    const predownloadMs = ready ? Date.now() - downloadStarted : null;
    await stopSampling();
    let final = await stateOf(leader);
    if (final?.upgrade.stage === 'Activate') {
      const activated = await fetch(`${leader.url}/test/activate`, { method: 'POST' });
      if (activated.status !== 202) throw new Error(`Activate answered ${activated.status}: ${await activated.text()}`);
      if (failover) await killLeader('reload', (s) => s.upgrade.stage === 'Reload' && s.apImage.aps.some((ap) => ap.predownloadStatus === 'Reloading'));
      await waitUntil(async () => ['Completed', 'Failed'].includes((await stateOf(leader))?.upgrade.stage ?? ''), 600_000);
      final = await stateOf(leader);
    }
    if (!final) throw new Error('the leader did not answer at the end');
    leader.child!.process.kill('SIGTERM');
    const exitCode = await exited(leader.child!);
    const checks = await checkAfterRestarts({
      dataDir: leader.dataDir,
      databaseUrl,
      fleetDir,
      bundleDir: path.join(serverRoot, DEMO_IMAGE_PATH),
      profile,
      final: final.apImage,
      gracefulStop: { exitCode, ms: 0 },
    });
    const supported = checks.aps.filter((ap) => ap.status !== 'NotSupported');
    return {
      nodes,
      joinMs,
      predownloadMs,
      failovers,
      finalStage: final.upgrade.stage,
      exact: supported.filter((ap) => ap.imageExact).length,
      supported: supported.length,
      deliveredTwice: supported.reduce((sum, ap) => sum + Math.max(0, ap.bytesReceived - ap.bytesNeeded), 0),
      duplicatedEvents: checks.duplicatedEvents,
    };
  } finally {
    for (const child of [...nodes.map((node) => node.child), fleet]) {
      if (!child || child.process.exitCode !== null || child.process.signalCode !== null) continue;
      child.process.kill('SIGKILL');
      await exited(child);
    }
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const s = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);
let ok = true;
try {
  console.log(`bench:cluster: ${apCount} APs, link ${linkKbps} kbit/s per AP, bundle ${mb(bundleBytes)} on tftpd-hpa, EWC_LEADER_TIMEOUT_MS ${leaderTimeoutMs}, ${os.cpus().length} cores`);
  console.log('\nnodes | run      | join    | predownload | final     | byte-exact | delivered twice | image-server bytes (per node)           | API per node (GET /api/software-upgrade)');
  for (const nodeCount of nodeCounts) {
    for (const failover of nodeCount > 1 ? [false, true] : [false]) {
      const result = await runOnce(nodeCount, failover);
      const fetchedBy = (node: Node) => node.fetchedBefore + node.fetchedBytes;
      const fetched = result.nodes.map((node) => `${node.name} ${mb(fetchedBy(node))}`).join(', ');
      console.log(
        `${String(nodeCount).padEnd(5)} | ${(failover ? 'failover' : 'plain').padEnd(8)} | ${s(result.joinMs).padEnd(7)} | ${s(result.predownloadMs).padEnd(11)} | ${result.finalStage.padEnd(9)} | ${`${result.exact}/${result.supported}`.padEnd(10)} | ${String(result.deliveredTwice).padEnd(15)} | ${`${mb(result.nodes.reduce((sum, node) => sum + fetchedBy(node), 0))} (${fetched})`.padEnd(39)} | ${result.nodes.map((node) => `${node.name}: ${apiText(node)}`).join('; ')}`,
      );
      for (const f of result.failovers)
        console.log(
          `      ↳ ${f.phase}: killed ${f.killed} (SIGKILL) at ${f.seen}; another node led after ${s(f.leadsMs)}, the run moved after ${s(f.movesMs)}, ${f.rejoined} of ${apCount} APs rejoined it within ${s(f.rejoinedMs)}`,
        );
      if (result.duplicatedEvents.length > 0) console.log(`      ↳ events logged more than once: ${result.duplicatedEvents.join(', ')}`);
      ok &&= result.finalStage === 'Completed' && result.exact === result.supported;
    }
  }
  console.log(`\nimage-server bytes: the bundle is ${mb(bundleBytes)}; each node that leads a part of a run fetches what that part needs once, into its own image cache.`);
  console.log(ok ? 'every run Completed, every AP byte-exact' : 'FAIL: a run did not complete byte-exact');
} finally {
  await postgres.stop();
  await tftpd.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
