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

const BUILD_INPUTS = ['app', 'components', 'lib', 'public', 'server/http', 'next.config.ts', 'package-lock.json', 'tsconfig.json'];

/** The Next.js production build: rebuilt when missing or older than any of its sources. */
export function ensureBuild() {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sourcesAt = Math.max(...BUILD_INPUTS.map(newestMtime));
  if (builtAt > sourcesAt) return;
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
