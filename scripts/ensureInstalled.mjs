// Shared by `npm start` and `npm test`: install what a fresh clone is missing, build what is stale.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

// A first install or build runs for minutes: a line this often says it is still going, so a silent terminal never looks hung.
const PROGRESS_EVERY_MS = 15_000;

function elapsed(ms) {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/**
 * Runs a command with its output on this terminal, printing the command first and then, every
 * `everyMs`, how long it has run and `progress()` (what it has done so far). Resolves with its exit status.
 */
export function runWithProgress(command, args, { label = command, everyMs = PROGRESS_EVERY_MS, progress = () => '', print = (line) => console.log(line), ...options } = {}) {
  print(`> ${command} ${args.join(' ')}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    const timer = setInterval(() => {
      const done = progress();
      print(`  ${label}: still running after ${elapsed(Date.now() - started)}${done ? `; ${done}` : ''}`);
    }, everyMs);
    const finish = (status) => {
      clearInterval(timer);
      resolve(status);
    };
    child.on('error', (error) => {
      print(`${command}: ${error.message}`);
      finish(127);
    });
    child.on('exit', (code, signal) => finish(code ?? (signal ? 1 : 0)));
  });
}

async function run(command, args, options = {}) {
  const status = await runWithProgress(command, args, options);
  if (status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (exit ${status})`);
    process.exit(status);
  }
}

/** Packages npm has unpacked into a node_modules folder so far (`@scope/name` counts one). */
export function countInstalledPackages(dir) {
  if (!fs.existsSync(dir)) return 0;
  let count = 0;
  for (const entry of fs.readdirSync(dir)) {
    if (entry.startsWith('.')) continue;
    count += entry.startsWith('@') ? fs.readdirSync(path.join(dir, entry)).length : 1;
  }
  return count;
}

// Next.js would otherwise send usage data to its vendor from every build and server: the console talks to nothing but what it is told to.
export const NO_TELEMETRY = { NEXT_TELEMETRY_DISABLED: '1' };

/** npm packages: installed when node_modules is missing or older than the lock file. */
export async function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= newestMtime('package-lock.json')) return;
  // --foreground-scripts: the native builds (better-sqlite3, ssh2's ciphers) print what they compile instead of minutes of silence.
  await run('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts'], {
    label: 'npm install',
    progress: () => `${countInstalledPackages(path.join(root, 'node_modules'))} packages in node_modules so far`,
  });
}

/**
 * The optional native TFTP engine (a small C addon and its worker bundle): rebuilt when missing or
 * older than its sources. Without a C toolchain the build says so and the client uses its JS engine.
 */
export async function ensureNativeTftpEngine() {
  const addon = path.join(root, 'native', 'udp-sync', 'build', 'Release', 'udp_sync.node');
  const builtAt = fs.existsSync(addon) ? fs.statSync(addon).mtimeMs : 0;
  const sourcesAt = Math.max(newestMtime('native/udp-sync/udp_sync.c'), newestMtime('native/udp-sync/binding.gyp'), newestMtime('native/build.mjs'), newestMtime('server/tftp'));
  if (builtAt > sourcesAt) return;
  await run(process.execPath, [path.join(root, 'native', 'build.mjs')], { label: 'native TFTP engine build' });
}

// What the Next.js build reads besides the modules it follows from app/ (see buildInputFiles).
const BUILD_INPUTS = ['app', 'components', 'lib', 'public', 'next.config.ts', 'package-lock.json', 'package.json', 'tsconfig.json'];

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.mjs', '.jsx'];
const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

function filesUnder(dir, projectRoot) {
  const full = path.join(projectRoot, dir);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [full];
  return fs.readdirSync(full).flatMap((child) => filesUnder(path.join(dir, child), projectRoot));
}

/** A relative or `@/` import as a file of the project, or null for a package. */
function resolveImport(specifier, fromFile, projectRoot) {
  let base;
  if (specifier.startsWith('@/')) base = path.join(projectRoot, specifier.slice(2));
  else if (specifier.startsWith('.')) base = path.resolve(path.dirname(fromFile), specifier);
  else return null;
  const candidates = [base, ...SOURCE_EXTENSIONS.map((ext) => base + ext), ...SOURCE_EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
  return candidates.find((file) => fs.existsSync(file) && fs.statSync(file).isFile()) ?? null;
}

/**
 * Every file the Next.js build compiles or reads: the fixed inputs above, plus every project module
 * reached by following imports from app/ (route handlers reach into server/: routeResponse.ts, the
 * auth cookies, whatever they import). Test files are not compiled and do not count.
 */
export function buildInputFiles(projectRoot = root) {
  const seen = new Set();
  const pending = BUILD_INPUTS.flatMap((entry) => filesUnder(entry, projectRoot)).filter((file) => !/\.test\.tsx?$/.test(file));
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!SOURCE_EXTENSIONS.includes(path.extname(file))) continue;
    for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(IMPORT_SPECIFIER)) {
      const target = resolveImport(specifier, file, projectRoot);
      if (target && !target.includes(`${path.sep}node_modules${path.sep}`) && !seen.has(target)) pending.push(target);
    }
  }
  return [...seen];
}

/** The build is stale when it is missing or older than any of its inputs. */
export function isBuildStale(projectRoot = root) {
  const buildId = path.join(projectRoot, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return true;
  const builtAt = fs.statSync(buildId).mtimeMs;
  return buildInputFiles(projectRoot).some((file) => fs.statSync(file).mtimeMs >= builtAt);
}

/** The Next.js production build: rebuilt when missing or older than any of its sources. */
export async function ensureBuild() {
  if (!isBuildStale()) return;
  // Next.js prints its own steps (compiling, type checking, pages); the progress line fills the long silent ones.
  await run(path.join(root, 'node_modules', '.bin', 'next'), ['build'], { label: 'next build', env: { ...process.env, ...NO_TELEMETRY } });
}

/** Debian packages the tests use, by the file each one provides. */
export const DEBIAN_PACKAGES = {
  'tftpd-hpa': '/usr/sbin/in.tftpd',
  atftp: '/usr/bin/atftp',
  curl: '/usr/bin/curl',
  chromium: '/usr/bin/chromium',
  'openssh-server': '/usr/sbin/sshd',
  'openssh-client': '/usr/bin/sftp',
  nftables: '/usr/sbin/nft',
  iproute2: '/usr/sbin/ip',
  // The demo firmware catalog creates its CA and certificate with it on the first start.
  openssl: '/usr/bin/openssl',
  // The CLI's end-to-end tests drive the SSH CLI with Netmiko's cisco_ios driver and Ansible's cisco.ios collection.
  'python3-netmiko': '/usr/lib/python3/dist-packages/netmiko/__init__.py',
  ansible: '/usr/bin/ansible-playbook',
  // Every RESTCONF answer the tests get is validated with yanglint against Cisco's YANG modules.
  'libyang-tools': '/usr/bin/yanglint',
  // The HTTPS end-to-end test trusts the console's CA in a Chromium NSS database of its own, with NSS's certutil.
  'libnss3-tools': '/usr/bin/certutil',
  // A real syslog server for `logging host` (UDP and TCP), started by the tests on loopback ports.
  rsyslog: '/usr/sbin/rsyslogd',
  // A real Prometheus scraping GET /metrics, started by the tests with their own configuration.
  prometheus: '/usr/bin/prometheus',
  // The page in Chinese: without a CJK font Chromium draws boxes (the zh-CN screenshots, and a fresh machine's browser).
  'fonts-noto-cjk': '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  // The store's tests run on PostgreSQL too, in a temporary cluster of Debian 12's server (server/sim/testing/postgresServer.ts).
  postgresql: '/usr/lib/postgresql/15/bin/postgres',
};

export async function ensureDebianPackages() {
  const missing = Object.entries(DEBIAN_PACKAGES)
    .filter(([, file]) => !fs.existsSync(file))
    .map(([name]) => name);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`The tests need these Debian packages: ${missing.join(' ')}\nInstall them with: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env, label: 'apt-get update' });
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, label: 'apt-get install' });
  // tftpd-hpa's and prometheus's postinst start daemons (prometheus on :9090, scraping itself); the tests start their own.
  for (const daemon of ['tftpd-hpa', 'prometheus']) {
    if (!missing.includes(daemon)) continue;
    try {
      execFileSync('service', [daemon, 'stop'], { stdio: 'ignore' });
    } catch {
      // No init system in a container: the daemon was never started.
    }
  }
}
