// Shared by `npm start` and `npm test`: install what a fresh clone is missing, build what is stale.
import { execFileSync, spawnSync } from 'node:child_process';
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

function run(command, args, options = {}) {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/** npm packages: installed when node_modules is missing or older than the lock file. */
export function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= newestMtime('package-lock.json')) return;
  run('npm', ['install', '--no-audit', '--no-fund']);
}

/**
 * The optional native TFTP engine (a small C addon and its worker bundle): rebuilt when missing or
 * older than its sources. Without a C toolchain the build says so and the client uses its JS engine.
 */
export function ensureNativeTftpEngine() {
  const addon = path.join(root, 'native', 'udp-sync', 'build', 'Release', 'udp_sync.node');
  const builtAt = fs.existsSync(addon) ? fs.statSync(addon).mtimeMs : 0;
  const sourcesAt = Math.max(newestMtime('native/udp-sync/udp_sync.c'), newestMtime('native/udp-sync/binding.gyp'), newestMtime('native/build.mjs'), newestMtime('server/tftp'));
  if (builtAt > sourcesAt) return;
  run(process.execPath, [path.join(root, 'native', 'build.mjs')]);
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
export function ensureBuild() {
  if (!isBuildStale()) return;
  run(path.join(root, 'node_modules', '.bin', 'next'), ['build']);
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
};

export function ensureDebianPackages() {
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
  run('apt-get', ['update', '-qq'], { env });
  // tftpd-hpa's postinst starts a daemon on port 69; the tests start their own on free ports.
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  if (missing.includes('tftpd-hpa')) {
    try {
      execFileSync('service', ['tftpd-hpa', 'stop'], { stdio: 'ignore' });
    } catch {
      // No init system in a container: the daemon was never started.
    }
  }
}
