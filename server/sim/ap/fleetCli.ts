import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_FLEET, DEMO_FLEET_VERSION } from '../demo/demoFleet';
import { generatedFleet, startFleet } from './simulatedFleet';
import { readFleetFile } from './fleetSpec';
import { parseControllerUrls } from './controllerList';
import { loadTrustedVendorKeys } from '../../imageSigning/imageManifest';
import { JOIN_TOKEN_FILE } from '../../pki/joinToken';

const USAGE =
  'usage: npm run fleet -- --controller https://HOST:AP_PORT[,SECONDARY[,TERTIARY]] [--count N | --file FLEET.json] [--link-kbps N] [--data-dir DIR] [--reload-ms N]\n' +
  '  [--digest-only] [--processes N] [--sites N] [--fail-reload MAC,…] [--version V] [--ca CA.crt] [--join-token-file FILE] [--vendor-keys DIR]\n' +
  '  (the join token may also come from EWC_JOIN_TOKEN; a fleet file entry\'s "controllers" list takes the place of --controller for that AP)';
// One Node process holds this many AP connections comfortably; more APs are spread over more processes.
const APS_PER_PROCESS = 1500;

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`Cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

const OPTIONS = {
  controller: { type: 'string' },
  count: { type: 'string' },
  file: { type: 'string' },
  'link-kbps': { type: 'string', default: '0' },
  'data-dir': { type: 'string', default: '.data/fleet-cli' },
  'reload-ms': { type: 'string', default: '3000' },
  'digest-only': { type: 'boolean', default: false },
  processes: { type: 'string' },
  /** Spreads a generated fleet over this many site tags. */
  sites: { type: 'string' },
  /** These APs fail their reload: they come back on the version they ran. */
  'fail-reload': { type: 'string' },
  /** The AP image every AP not hosting the controller runs at its first start (a fleet file's own primaryVersion otherwise). */
  version: { type: 'string' },
  // The console's files, when the fleet runs beside it: its CA, its fleet join token, the trusted vendor keys.
  ca: { type: 'string', default: '.data/pki/ca.crt' },
  'join-token-file': { type: 'string', default: `.data/pki/${JOIN_TOKEN_FILE}` },
  'vendor-keys': { type: 'string', default: '.data/vendor-keys' },
  /** Internal: this process runs every APs whose index modulo `shards` is `shard`. */
  shard: { type: 'string', default: '0' },
  shards: { type: 'string', default: '1' },
} as const;

function usage(message?: string): never {
  console.error(message ? `${message}\n${USAGE}` : USAGE);
  process.exit(2);
}

function wholeNumber(value: string | undefined, name: string, min: number): number | null {
  if (value === undefined) return null;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) usage(`--${name} must be a whole number of at least ${min}`);
  return number;
}

/** Runs the fleet in this process, or spreads it over child processes that each run a shard. */
async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: OPTIONS }));
  } catch (error) {
    usage((error as Error).message);
  }
  if (!values.controller) usage();
  let controllers: string[];
  try {
    controllers = parseControllerUrls(values.controller.split(','), '--controller');
  } catch (error) {
    usage((error as Error).message);
  }
  const count = wholeNumber(values.count, 'count', 1);
  const shards = wholeNumber(values.shards, 'shards', 1)!;
  const shard = wholeNumber(values.shard, 'shard', 0)!;
  const sites = wholeNumber(values.sites, 'sites', 1) ?? undefined;
  const failing = new Set(
    (values['fail-reload'] ?? '')
      .split(',')
      .map((mac) => mac.trim().toLowerCase())
      .filter(Boolean),
  );
  const version = values.version;
  if (version !== undefined && !/^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/.test(version)) usage('--version must be an AP image version such as 17.3.3.26');
  const listed = values.file ? readFleetFile(values.file) : count !== null ? generatedFleet(count, DEMO_FLEET_VERSION, { sites }) : DEMO_FLEET;
  // The AP hosting the controller keeps its own version: it is the controller's, which the others are compared with when they join.
  const aps = listed
    .map((ap) => (version !== undefined && !ap.hostsController ? { ...ap, primaryVersion: version } : ap))
    .map((ap) => (failing.has(ap.mac.toLowerCase()) ? { ...ap, failReload: true } : ap));
  const processes = wholeNumber(values.processes, 'processes', 1) ?? Math.ceil(aps.length / APS_PER_PROCESS);
  // Said once, by the process the user started.
  if (shards === 1 && values['digest-only']) console.log('digest only: each AP verifies its images by SHA-256 and keeps the digest, not the file');
  if (shards === 1 && processes > 1) return runShards(processes, aps.length, controllers);

  // Never on the command line, where other users could read it: the environment or a file.
  const enrolmentToken = process.env.EWC_JOIN_TOKEN ?? (fs.existsSync(values['join-token-file']) ? readText(values['join-token-file'], 'the join token file') : null);
  const mine = aps.filter((_, index) => index % shards === shard);
  const fleet = await startFleet({
    controllerUrls: controllers,
    trust: { caCertPem: readText(values.ca, 'the controller CA certificate'), enrolmentToken },
    vendorKeys: loadTrustedVendorKeys(path.resolve(values['vendor-keys'])),
    aps: mine,
    storageRoot: path.resolve(values['data-dir']),
    linkKbps: Number(values['link-kbps']),
    reloadMs: Number(values['reload-ms']),
    keepImages: !values['digest-only'],
  });
  console.log(`${fleet.agents.length} APs joined ${joinedSummary(fleet.agents.map((agent) => agent.controller ?? 'no controller'))}`);
  const shutdown = () => void fleet.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** Where the APs joined: the one controller, or how many joined each (`https://a:5246 (5), https://b:5246 (3)`). */
function joinedSummary(joined: string[]): string {
  const counts = new Map<string, number>();
  for (const url of joined) counts.set(url, (counts.get(url) ?? 0) + 1);
  return counts.size === 1 ? joined[0] : [...counts].map(([url, n]) => `${url} (${n})`).join(', ');
}

/** The parent of a multi-process fleet: starts one child per shard, reports the total, stops them together. */
function runShards(processes: number, total: number, controllers: string[]): Promise<void> {
  // Each child says where its APs joined; the parent says which list they joined from.
  const joinedWhere = controllers.length === 1 ? controllers[0] : `controllers of ${controllers.join(',')}`;
  const args = process.argv.slice(2).filter((arg, i, all) => arg !== '--processes' && all[i - 1] !== '--processes');
  let joined = 0;
  const children: ChildProcess[] = Array.from({ length: processes }, (_, shard) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...args, '--shard', String(shard), '--shards', String(processes)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        const match = /^(\d+) APs joined/.exec(line);
        if (!match) continue;
        joined += Number(match[1]);
        if (joined === total) console.log(`${total} APs joined ${joinedWhere} (${processes} processes)`);
      }
    });
    child.once('exit', (code) => {
      if (code !== 0 && !stopping) {
        console.error(`fleet process ${shard + 1} of ${processes} exited with ${code}`);
        stop(1);
      }
    });
    return child;
  });
  let stopping = false;
  const stop = (code: number) => {
    stopping = true;
    let running = children.filter((child) => child.exitCode === null).length;
    if (running === 0) process.exit(code);
    for (const child of children) {
      child.once('exit', () => {
        running -= 1;
        if (running === 0) process.exit(code);
      });
      child.kill('SIGTERM');
    }
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  return Promise.resolve();
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
