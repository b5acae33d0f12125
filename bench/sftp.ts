/**
 * Fetches the controller image over SFTP from a real OpenSSH server on loopback, alternately with the
 * project's CLI and with OpenSSH's own sftp client, and compares them run by run.
 *
 *   npx tsx bench/sftp.ts [--runs N] [--size BYTES]
 *
 * The goal (README, *SFTP mode*): our client moves the image at least 1.5 times as fast as OpenSSH's
 * `sftp`, our time counted from the TCP connect to the last byte on disk (what a download costs the
 * long-running console), OpenSSH's as its whole process. Each run fetches with both, back to back, and
 * the ratio of that pair is taken, so that both meet the same moment of a shared, busy machine; the
 * figures are medians over the runs. CPU times come from /proc and do not depend on how busy the machine
 * is as much as wall-clock times do.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { appendFileSync, closeSync, createReadStream, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpenSshServer } from '../server/sim/testing/opensshServer';
import { cpuMsOf, descendantsOf, machineCpuMs, peakRssOf } from '../server/sim/testing/processTree';

const IMAGE_NAME = 'C9800-AP-iosxe-wlc.bin';
const REAL_IMAGE_BYTES = 301_257_756;
const GOAL_RATIO = 1.5;
const SAMPLE_MS = 20;
const SAMPLES_PER_LISTING = 10;
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  wallMs: number;
  /** Ours only: the CLI's own connect-to-last-byte time and the CPU it spent meanwhile. */
  transferMs: number | null;
  transferCpuMs: number | null;
  /** The client's processes (ours: node; OpenSSH: sftp and the ssh it starts), whole lifetime. */
  clientCpuMs: number;
  /** sshd's processes serving this download. */
  serverCpuMs: number;
  peakRssBytes: number;
  /** The machine's busy CPU time during the run, every process on it included. */
  machineBusyMs: number;
}

function parseArgs(argv: string[]): { runs: number; size: number } {
  let runs = 5;
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

/**
 * Runs a command to completion, sampling from /proc the CPU time and peak RSS of it and its children,
 * and the CPU time of the server's sessions that were not there when it started (the ones it opened).
 * A sample every 20 ms misses at most the last 20 ms of each process; the list of processes, which
 * takes a walk through all of /proc, is refreshed every 200 ms (each lives for the whole download).
 */
function measured(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; serverPids: () => number[]; exitCode?: number },
): Promise<{ stdout: string } & Omit<Run, 'transferMs' | 'transferCpuMs'>> {
  return new Promise((resolve, reject) => {
    const before = new Set(options.serverPids());
    const machineBefore = machineCpuMs().busy;
    const started = performance.now();
    const child = spawn(command, args, { cwd: projectRoot, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const clientCpu = new Map<number, number>();
    const clientRss = new Map<number, number>();
    const serverCpu = new Map<number, number>();
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdin.end(options.input ?? '');
    let clientPids: number[] = [];
    let serverPids: number[] = [];
    let samples = 0;
    const sample = () => {
      if (child.pid === undefined) return;
      if (samples % SAMPLES_PER_LISTING === 0) {
        clientPids = [child.pid, ...descendantsOf(child.pid)];
        serverPids = options.serverPids().filter((pid) => !before.has(pid));
      }
      samples += 1;
      for (const pid of clientPids) {
        const cpu = cpuMsOf(pid);
        const rss = peakRssOf(pid);
        if (cpu !== null) clientCpu.set(pid, cpu);
        if (rss !== null) clientRss.set(pid, rss);
      }
      for (const pid of serverPids) {
        const cpu = cpuMsOf(pid);
        if (cpu !== null) serverCpu.set(pid, cpu);
      }
    };
    const poll = setInterval(sample, SAMPLE_MS);
    sample();
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      const wallMs = performance.now() - started;
      const sum = (values: Map<number, number>) => [...values.values()].reduce((total, value) => total + value, 0);
      if (code !== (options.exitCode ?? 0)) return reject(new Error(`${command} exited with ${code}: ${stderr}${stdout}`));
      resolve({
        stdout,
        wallMs,
        clientCpuMs: sum(clientCpu),
        serverCpuMs: sum(serverCpu),
        peakRssBytes: sum(clientRss),
        machineBusyMs: machineCpuMs().busy - machineBefore,
      });
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const mbPerSecond = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
const per100Mb = (ms: number, bytes: number) => Math.round((ms * 1e8) / bytes);
const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function main(): Promise<void> {
  const { runs, size } = parseArgs(process.argv.slice(2));
  const server = await startOpenSshServer({ user: 'ewcsftp' });
  const work = mkdtempSync(join(tmpdir(), 'ewc-bench-sftp-'));
  const remoteDir = join(server.home, `Documents/bench-${process.pid}`);
  const loadBefore = loadAverage();
  try {
    mkdirSync(remoteDir, { recursive: true, mode: 0o755 });
    process.stdout.write(`Writing a ${size}-byte ${IMAGE_NAME} into ${remoteDir} ...\n`);
    const expected = writeRandomFile(join(remoteDir, IMAGE_NAME), size);

    const key = join(work, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ewc-bench', '-f', key]);
    appendFileSync(server.authorizedKeysPath, readFileSync(`${key}.pub`));

    const remotePath = `Documents/bench-${process.pid}/${IMAGE_NAME}`;
    // The CLI given no arguments loads everything a download loads, prints its usage and exits 2: what
    // start-up alone costs, in CPU and memory.
    const startUp = await measured(process.execPath, ['--import', 'tsx', 'server/sftp/sftpGetCli.ts'], { serverPids: () => [], exitCode: 2 });
    const ours: Run[] = [];
    const openssh: Run[] = [];
    const fetchOurs = async () => {
      const destination = join(work, 'ours.bin');
      rmSync(destination, { force: true });
      const url = `sftp://${server.user}@127.0.0.1:${server.port}/${remotePath}`;
      const run = await measured(process.execPath, ['--import', 'tsx', 'server/sftp/sftpGetCli.ts', 'get', url, destination, '--json', '--fingerprint', server.hostKeyFingerprint], {
        env: { ...process.env, SFTP_PASSWORD: server.password },
        serverPids: server.sessionPids,
      });
      const report = JSON.parse(run.stdout) as { ok: boolean; bytes: number; elapsedMs: number; cpuMs: number };
      if (!report.ok || report.bytes !== size) throw new Error(`Our CLI reported ${run.stdout}`);
      if ((await sha256Of(destination)) !== expected) throw new Error('Our download is not byte-exact');
      ours.push({ ...run, transferMs: report.elapsedMs, transferCpuMs: report.cpuMs });
    };
    const fetchOpenSsh = async () => {
      const destination = join(work, 'openssh.bin');
      rmSync(destination, { force: true });
      const args = ['-q', '-b', '-', '-i', key, '-P', String(server.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', `${server.user}@127.0.0.1`];
      const run = await measured('sftp', args, { input: `get ${remotePath} ${destination}\n`, serverPids: server.sessionPids });
      if ((await sha256Of(destination)) !== expected) throw new Error("OpenSSH's download is not byte-exact");
      openssh.push({ ...run, transferMs: null, transferCpuMs: null });
    };

    for (let i = 0; i < runs; i += 1) {
      // Alternate who goes first so that neither always meets a warmer page cache or a quieter machine.
      const order = i % 2 === 0 ? [fetchOurs, fetchOpenSsh] : [fetchOpenSsh, fetchOurs];
      for (const fetch of order) await fetch();
      const [a, b] = [ours[i], openssh[i]];
      process.stdout.write(
        `run ${i + 1}/${runs}: ours ${Math.round(a.transferMs!)} ms connect to last byte (${Math.round(a.wallMs)} ms with start-up), ` +
          `OpenSSH sftp ${Math.round(b.wallMs)} ms: ${(b.wallMs / a.transferMs!).toFixed(2)}x\n`,
      );
    }

    const ratioInProcess = median(ours.map((run, i) => openssh[i].wallMs / run.transferMs!));
    const ratioWithStart = median(ours.map((run, i) => openssh[i].wallMs / run.wallMs));
    const cores = cpus().length;
    const timedMs = [...ours, ...openssh].reduce((sum, run) => sum + run.wallMs, 0);
    const machineBusy = [...ours, ...openssh].reduce((sum, run) => sum + run.machineBusyMs, 0);
    const transferCpu = [...ours, ...openssh].reduce((sum, run) => sum + run.clientCpuMs + run.serverCpuMs, 0);
    const verdict = (ratio: number) => (ratio >= GOAL_RATIO ? `goal >= ${GOAL_RATIO}x met` : `goal >= ${GOAL_RATIO}x NOT met`);
    const cpuLine = (runsOf: Run[]) => `client ${per100Mb(median(runsOf.map((run) => run.clientCpuMs)), size)}, server (sshd) ${per100Mb(median(runsOf.map((run) => run.serverCpuMs)), size)}`;
    const lines = [
      `${IMAGE_NAME}: ${size} bytes over loopback from OpenSSH's sshd, ${runs} run(s) of each client alternating, all byte-exact; medians`,
      `  ours, connect to last byte (CLI elapsedMs):     ${Math.round(median(ours.map((run) => run.transferMs!)))} ms  ${mbPerSecond(size, median(ours.map((run) => run.transferMs!)))} MB/s`,
      `  ours, whole CLI process with Node/tsx start-up: ${Math.round(median(ours.map((run) => run.wallMs)))} ms  ${mbPerSecond(size, median(ours.map((run) => run.wallMs)))} MB/s`,
      `  OpenSSH sftp -b, whole process:                 ${Math.round(median(openssh.map((run) => run.wallMs)))} ms  ${mbPerSecond(size, median(openssh.map((run) => run.wallMs)))} MB/s`,
      `  ratio OpenSSH time / ours, in-process:          ${ratioInProcess.toFixed(2)}x (${verdict(ratioInProcess)})`,
      `  ratio counting our process start-up:            ${ratioWithStart.toFixed(2)}x (for information: the console starts once, not per download)`,
      `  CPU ms per 100 MB, ours:    connect to last byte ${per100Mb(median(ours.map((run) => run.transferCpuMs!)), size)}; whole process: ${cpuLine(ours)}`,
      `  CPU ms per 100 MB, OpenSSH: whole processes (sftp + ssh): ${cpuLine(openssh)}`,
      `  CPU ms of our CLI's start-up alone (Node, tsx, loading the modules): ${Math.round(startUp.clientCpuMs)}`,
      `  peak RSS: ours ${mib(Math.max(...ours.map((run) => run.peakRssBytes)))}, of which Node, tsx and the modules ${mib(startUp.peakRssBytes)} before connecting; OpenSSH's sftp + ssh ${mib(Math.max(...openssh.map((run) => run.peakRssBytes)))}`,
      `  machine: ${cores} cores, load average ${loadBefore} before and ${loadAverage()} after; during the timed runs the cores were ` +
        `${Math.round((100 * machineBusy) / (timedMs * cores))} % busy, ${Math.round((100 * Math.max(0, machineBusy - transferCpu)) / (timedMs * cores))} points of it by other work than these transfers`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(remoteDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    await server.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
