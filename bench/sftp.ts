/**
 * Fetches the controller image over SFTP from a real OpenSSH server on loopback, once with the
 * project's CLI and once with OpenSSH's own sftp client per run, and compares them.
 *
 *   npx tsx bench/sftp.ts [--runs N] [--size BYTES]
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { appendFileSync, closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpenSshServer } from '../server/sim/testing/opensshServer';

const IMAGE_NAME = 'C9800-AP-iosxe-wlc.bin';
const REAL_IMAGE_BYTES = 301_257_756;
const RSS_POLL_MS = 20;
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  wallMs: number;
  transferMs: number | null;
  peakRssBytes: number | null;
}

function parseArgs(argv: string[]): { runs: number; size: number } {
  let runs = 3;
  let size = REAL_IMAGE_BYTES;
  for (let i = 0; i < argv.length; i += 1) {
    const value = Number(argv[i + 1]);
    if (argv[i] === '--runs' && Number.isInteger(value) && value > 0) runs = value;
    else if (argv[i] === '--size' && Number.isInteger(value) && value > 0) size = value;
    else {
      process.stderr.write('Usage: npx tsx bench/sftp.ts [--runs N] [--size BYTES]\n');
      process.exit(2);
    }
    i += 1;
  }
  return { runs, size };
}

/** Random bytes: incompressible, so that no layer can make the transfer look faster than it is. */
function writeRandomFile(path: string, size: number): string {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(16 * 1024 * 1024);
  const fd = openSync(path, 'w', 0o644);
  try {
    for (let left = size; left > 0; left -= chunk.length) {
      const piece = chunk.subarray(0, Math.min(left, chunk.length));
      randomFillSync(piece);
      hash.update(piece);
      writeSync(fd, piece);
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Runs a command to completion, sampling its high-water RSS from /proc while it lives. */
function timed(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string }): Promise<{ wallMs: number; stdout: string; peakRssBytes: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: projectRoot, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakRssBytes: number | null = null;
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdin.end(options.input ?? '');
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakRssBytes = Math.max(peakRssBytes ?? 0, Number(match[1]) * 1024);
      } catch {
        // The process is gone; the last sample stands.
      }
    };
    const poll = setInterval(sample, RSS_POLL_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      const wallMs = performance.now() - started;
      if (code !== 0) reject(new Error(`${command} exited with ${code}: ${stderr}${stdout}`));
      else resolve({ wallMs, stdout, peakRssBytes });
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const mbPerSecond = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);

async function main(): Promise<void> {
  const { runs, size } = parseArgs(process.argv.slice(2));
  const server = await startOpenSshServer({ user: 'ewcsftp' });
  const work = mkdtempSync(join(tmpdir(), 'ewc-bench-sftp-'));
  const remoteDir = join(server.home, 'Documents/bench');
  try {
    mkdirSync(remoteDir, { recursive: true, mode: 0o755 });
    process.stdout.write(`Writing a ${size}-byte ${IMAGE_NAME} into ${remoteDir} ...\n`);
    const expected = writeRandomFile(join(remoteDir, IMAGE_NAME), size);

    const key = join(work, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ewc-bench', '-f', key]);
    appendFileSync(server.authorizedKeysPath, readFileSync(`${key}.pub`));

    const remotePath = `Documents/bench/${IMAGE_NAME}`;
    const ours: Run[] = [];
    const openssh: Run[] = [];
    const fetchOurs = async () => {
      const destination = join(work, 'ours.bin');
      rmSync(destination, { force: true });
      const url = `sftp://${server.user}@127.0.0.1:${server.port}/${remotePath}`;
      const run = await timed(process.execPath, ['--import', 'tsx', 'server/sftp/sftpGetCli.ts', 'get', url, destination, '--json', '--fingerprint', server.hostKeyFingerprint], {
        env: { ...process.env, SFTP_PASSWORD: server.password },
      });
      const report = JSON.parse(run.stdout) as { ok: boolean; bytes: number; elapsedMs: number };
      if (!report.ok || report.bytes !== size) throw new Error(`Our CLI reported ${run.stdout}`);
      if ((await sha256Of(destination)) !== expected) throw new Error('Our download is not byte-exact');
      ours.push({ wallMs: run.wallMs, transferMs: report.elapsedMs, peakRssBytes: run.peakRssBytes });
    };
    const fetchOpenSsh = async () => {
      const destination = join(work, 'openssh.bin');
      rmSync(destination, { force: true });
      const args = ['-q', '-b', '-', '-i', key, '-P', String(server.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', `${server.user}@127.0.0.1`];
      const run = await timed('sftp', args, { input: `get ${remotePath} ${destination}\n` });
      if ((await sha256Of(destination)) !== expected) throw new Error("OpenSSH's download is not byte-exact");
      openssh.push({ wallMs: run.wallMs, transferMs: null, peakRssBytes: run.peakRssBytes });
    };

    for (let i = 0; i < runs; i += 1) {
      // Alternate who goes first so that neither always meets a warmer page cache or a quieter machine.
      const order = i % 2 === 0 ? [fetchOurs, fetchOpenSsh] : [fetchOpenSsh, fetchOurs];
      for (const fetch of order) await fetch();
      process.stdout.write(`run ${i + 1}/${runs}: ours ${Math.round(ours[i].wallMs)} ms, OpenSSH sftp ${Math.round(openssh[i].wallMs)} ms\n`);
    }

    const oursWall = median(ours.map((run) => run.wallMs));
    const oursTransfer = median(ours.map((run) => run.transferMs ?? 0));
    const opensshWall = median(openssh.map((run) => run.wallMs));
    const peakRss = Math.max(...ours.map((run) => run.peakRssBytes ?? 0));
    // The CLI's elapsedMs runs from the TCP connect to the last byte on disk, handshake and login
    // included, like OpenSSH's wall time; it leaves out only Node's and tsx's start-up (~0.3 s), which
    // a long-running console never pays per download. Both figures are printed.
    const lines = [
      `${IMAGE_NAME}: ${size} bytes over loopback, median of ${runs} run(s), both byte-exact`,
      `  ours, connect to last byte (CLI elapsedMs): ${Math.round(oursTransfer)} ms  ${mbPerSecond(size, oursTransfer)} MB/s`,
      `  ours, whole CLI process incl. Node start:   ${Math.round(oursWall)} ms  ${mbPerSecond(size, oursWall)} MB/s`,
      `  OpenSSH sftp -b, whole process:             ${Math.round(opensshWall)} ms  ${mbPerSecond(size, opensshWall)} MB/s`,
      `  ratio ours/OpenSSH throughput:              ${(opensshWall / oursTransfer).toFixed(2)}x (goal >= 1.5x)`,
      `  ratio counting our process start-up:        ${(opensshWall / oursWall).toFixed(2)}x`,
      `  our peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB (OpenSSH's sftp process alone: ${(Math.max(...openssh.map((run) => run.peakRssBytes ?? 0)) / 1024 / 1024).toFixed(0)} MiB)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(join(remoteDir, IMAGE_NAME), { force: true });
    rmSync(work, { recursive: true, force: true });
    await server.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
