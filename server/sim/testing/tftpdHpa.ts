import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// Real TFTP servers (Debian's tftpd-hpa and atftpd) on loopback, and the image files they serve,
// for the TFTP tests and the bench.

export interface RunningTftpd {
  port: number;
  stop(): Promise<void>;
  /** SIGKILL to the server and every transfer process it forked, as a crash would. */
  kill(): Promise<void>;
}

const TFTPD_HPA = '/usr/sbin/in.tftpd';
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ATFTPD_CACHE = path.join(REPO_ROOT, '.cache', 'atftpd');
const ATFTPD_BINARY = path.join(ATFTPD_CACHE, 'usr', 'sbin', 'atftpd');
const run = promisify(execFile);

export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((ok, ko) => {
    socket.once('error', ko);
    socket.bind(0, '127.0.0.1', () => ok());
  });
  const { port } = socket.address();
  await new Promise<void>((ok) => socket.close(() => ok()));
  return port;
}

export async function startTftpdHpa(options: { root: string; port?: number; extraArgs?: string[] }): Promise<RunningTftpd> {
  if (!fs.existsSync(TFTPD_HPA)) throw new Error(`${TFTPD_HPA} is missing: install the Debian package tftpd-hpa`);
  const port = options.port ?? (await freeUdpPort());
  // tftpd-hpa drops to --user after chroot; as root that must stay root to read test temp dirs (mode 0700).
  const args = ['-L', '-s', '-a', `127.0.0.1:${port}`, '-u', os.userInfo().username, ...(options.extraArgs ?? []), options.root];
  return launch(TFTPD_HPA, args, port);
}

export async function startAtftpd(options: { root: string; port?: number }): Promise<RunningTftpd> {
  const binary = await ensureAtftpd();
  const port = options.port ?? (await freeUdpPort());
  const group = (await run('id', ['-gn'])).stdout.trim();
  const args = ['--daemon', '--no-fork', '--port', String(port), '--bind-address', '127.0.0.1', '--user', os.userInfo().username, '--group', group, '--logfile', '/dev/null', options.root];
  return launch(binary, args, port);
}

/**
 * atftpd conflicts with tftpd-hpa as an installed Debian package, so its binary is unpacked
 * into the git-ignored .cache/atftpd instead of being installed.
 */
export async function ensureAtftpd(): Promise<string> {
  if (fs.existsSync(ATFTPD_BINARY)) return ATFTPD_BINARY;
  const download = path.join(ATFTPD_CACHE, 'download');
  await fs.promises.mkdir(download, { recursive: true });
  // Keeps the unpacked package out of `git status` without touching the repository's .gitignore.
  await fs.promises.writeFile(path.join(ATFTPD_CACHE, '.gitignore'), '*\n');
  try {
    // A fresh machine may have no package lists yet; fetch them once and try again.
    await run('apt-get', ['download', 'atftpd'], { cwd: download }).catch(async () => {
      await run('apt-get', ['update']);
      await run('apt-get', ['download', 'atftpd'], { cwd: download });
    });
    const deb = (await fs.promises.readdir(download)).find((f) => f.startsWith('atftpd_') && f.endsWith('.deb'));
    if (!deb) throw new Error('apt-get download produced no atftpd_*.deb');
    await run('dpkg', ['-x', path.join(download, deb), ATFTPD_CACHE]);
  } catch (e) {
    throw new Error(`Cannot provide atftpd: fetching the Debian package "atftpd" with apt-get download and unpacking it with dpkg -x into ${ATFTPD_CACHE} failed (${(e as Error).message.trim()})`);
  }
  if (!fs.existsSync(ATFTPD_BINARY)) throw new Error(`The Debian package "atftpd" did not contain ${ATFTPD_BINARY}`);
  return ATFTPD_BINARY;
}

async function launch(binary: string, args: string[], port: number): Promise<RunningTftpd> {
  // Its own process group, so that kill() reaches the per-transfer children tftpd-hpa forks.
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const kill = async () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
    await exited;
  };
  try {
    await waitUntilAnswering(child, port);
  } catch (e) {
    await stop();
    throw new Error(`${path.basename(binary)} did not come up on 127.0.0.1:${port}: ${(e as Error).message} ${stderr.trim()}`);
  }
  return { port, stop, kill };
}

/** A request for a file that does not exist gets an ERROR back once the server listens. */
async function waitUntilAnswering(child: ChildProcess, port: number): Promise<void> {
  const probe = dgram.createSocket('udp4');
  const request = Buffer.from('\x00\x01__probe_that_does_not_exist__\x00octet\x00', 'latin1');
  try {
    await new Promise<void>((ok, ko) => {
      const deadline = Date.now() + 5000;
      const timer = setInterval(() => {
        if (child.exitCode !== null || child.signalCode !== null) done(new Error(`exited (${child.exitCode ?? child.signalCode})`));
        else if (Date.now() > deadline) done(new Error('no answer within 5 s'));
        else probe.send(request, port, '127.0.0.1');
      }, 50);
      const done = (error?: Error) => {
        clearInterval(timer);
        if (error) ko(error);
        else ok();
      };
      probe.once('message', () => done());
      probe.once('error', (e) => done(e));
    });
  } finally {
    probe.close();
  }
}

/** Writes `size` random bytes without holding them all in memory (images are up to ~70 MB). */
export async function writeRandomFile(file: string, size: number): Promise<void> {
  const handle = await fs.promises.open(file, 'w');
  try {
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    for (let written = 0; written < size;) {
      const n = Math.min(chunk.length, size - written);
      randomFillSync(chunk, 0, n);
      await handle.write(chunk, 0, n, written);
      written += n;
    }
  } finally {
    await handle.close();
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
