import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort } from './freeTcpPort';
import { descendantsOf } from './processTree';

/** One of the server's host keys, as `ssh-keygen -lf` of its `.pub` file describes it. */
export interface OpenSshHostKey {
  /** What `ssh-keygen -t` was given. */
  algorithm: HostKeyAlgorithmName;
  /** The type inside the key blob: `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`. */
  keyType: string;
  fingerprint: string;
  /** The `.pub` file, `TYPE BASE64 COMMENT`. */
  publicKeyPath: string;
}

export type HostKeyAlgorithmName = 'ed25519' | 'rsa' | 'ecdsa';

/**
 * A real OpenSSH server on 127.0.0.1 for tests and benchmarks: its own config, host keys and port,
 * logging in a real system user (created once) whose home holds the test files.
 */
export interface OpenSshServer {
  port: number;
  user: string;
  password: string;
  home: string;
  /** The fingerprint of the first host key. */
  hostKeyFingerprint: string;
  /** The first host key, one `authorized_keys`-style line. */
  hostPublicKey: string;
  /** Every host key, in the order of `HostKey` lines in sshd_config. */
  hostKeys: OpenSshHostKey[];
  /** Lines appended here let `user` log in with the matching private key. */
  authorizedKeysPath: string;
  /** Kills the listener and every session it forked, as a crash or a reboot of the server would. */
  stop(): Promise<void>;
  /** Stops (SIGSTOP) every session, so that open connections stay up but the server says nothing. */
  freeze(): void;
  /** Lets frozen sessions run again. */
  thaw(): void;
  /** Starts the listener again on the same port with the same host key. */
  restart(): Promise<void>;
  /** Stops the server and removes its config and host key; the user and its home stay for the next run. */
  dispose(): Promise<void>;
  /** What sshd wrote to stderr (`-e`), for failing tests. */
  log(): string;
  /** The processes serving connections right now (each session and its SFTP server), for benchmarks. */
  sessionPids(): number[];
}

export interface OpenSshServerOptions {
  port?: number;
  user: string;
  /** The user's password is (re)set to this on every start. */
  password?: string;
  /** Host keys to generate, default ed25519 only; OpenSSH's own default set is ed25519, rsa and ecdsa. */
  hostKeyAlgorithms?: readonly HostKeyAlgorithmName[];
}

const SSHD = '/usr/sbin/sshd';
const DEFAULT_PASSWORD = 'ewc-Sftp-test-1';
const MAX_LOG_CHARS = 64_000;

export async function startOpenSshServer({ port, user, password = DEFAULT_PASSWORD, hostKeyAlgorithms = ['ed25519'] }: OpenSshServerOptions): Promise<OpenSshServer> {
  if (!/^[a-z_][a-z0-9_-]{0,30}$/.test(user)) throw new Error(`Not a valid user name: ${user}`);
  const home = ensureUser(user, password);
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const dir = mkdtempSync(join(tmpdir(), 'ewc-sshd-'));
  // sshd reads the authorized keys as the user, so the directory must be traversable by it.
  chmodSync(dir, 0o755);
  const hostKeys = hostKeyAlgorithms.map((algorithm) => generateHostKey(dir, algorithm));
  if (hostKeys.length === 0) throw new Error('sshd needs at least one host key');
  const hostPublicKey = readFileSync(hostKeys[0].publicKeyPath, 'utf8').trim();
  const hostKeyFingerprint = hostKeys[0].fingerprint;
  const authorizedKeysPath = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeysPath, '', { mode: 0o644 });

  const listenPort = port ?? (await freeTcpPort());
  const configPath = join(dir, 'sshd_config');
  writeFileSync(
    configPath,
    [
      `Port ${listenPort}`,
      'ListenAddress 127.0.0.1',
      ...hostKeys.map((key) => `HostKey ${key.publicKeyPath.replace(/\.pub$/, '')}`),
      `PidFile ${join(dir, 'sshd.pid')}`,
      // Without PAM, sshd checks the password against /etc/shadow itself, which is all a container has.
      'UsePAM no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      `AuthorizedKeysFile ${authorizedKeysPath}`,
      'StrictModes no',
      'PermitRootLogin no',
      `AllowUsers ${user}`,
      'UseDNS no',
      'MaxStartups 100',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );

  let child: ChildProcess | null = null;
  let log = '';
  const start = async () => {
    const proc = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    // A test run that crashes must not leave a listener behind.
    const killOnExit = () => proc.kill('SIGKILL');
    process.once('exit', killOnExit);
    proc.once('exit', () => process.off('exit', killOnExit));
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (text: string) => {
      log = (log + text).slice(-MAX_LOG_CHARS);
    });
    const exited = new Promise<never>((_, reject) => {
      proc.once('exit', (code) => reject(new Error(`sshd exited with ${code}: ${log}`)));
    });
    exited.catch(() => undefined);
    try {
      await Promise.race([waitForPort(listenPort, 10_000), exited]);
    } catch (error) {
      proc.kill('SIGKILL');
      throw error;
    }
  };
  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.pid === undefined) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    // Sessions are forked children that call setsid(), so they outlive a signal to the listener alone.
    for (const pid of [proc.pid, ...descendantsOf(proc.pid)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await exited;
  };

  const signalSessions = (signal: NodeJS.Signals) => {
    if (child?.pid === undefined) return;
    for (const pid of descendantsOf(child.pid)) {
      try {
        process.kill(pid, signal);
      } catch {
        // Already gone.
      }
    }
  };

  await start();
  return {
    port: listenPort,
    user,
    password,
    home,
    hostKeyFingerprint,
    hostPublicKey,
    hostKeys,
    authorizedKeysPath,
    stop: async () => {
      await stop();
    },
    freeze: () => signalSessions('SIGSTOP'),
    thaw: () => signalSessions('SIGCONT'),
    restart: async () => {
      await stop();
      await start();
    },
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => log,
    sessionPids: () => (child?.pid === undefined ? [] : descendantsOf(child.pid)),
  };
}

function generateHostKey(dir: string, algorithm: HostKeyAlgorithmName): OpenSshHostKey {
  const path = join(dir, `ssh_host_${algorithm}_key`);
  execFileSync('ssh-keygen', ['-q', '-t', algorithm, '-N', '', '-C', 'ewc-test-host', '-f', path]);
  const publicKeyPath = `${path}.pub`;
  const keyType = readFileSync(publicKeyPath, 'utf8').split(' ')[0];
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', publicKeyPath], { encoding: 'utf8' }).split(' ')[1];
  return { algorithm, keyType, fingerprint, publicKeyPath };
}

function ensureUser(user: string, password: string): string {
  const exists = (() => {
    try {
      execFileSync('id', ['-u', user], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!exists) execFileSync('useradd', ['-m', '-s', '/bin/sh', '-c', 'EWC SFTP test user', user]);
  // A locked account (no password yet) is refused by sshd even with a valid key.
  execFileSync('chpasswd', { input: `${user}:${password}\n` });
  const home = execFileSync('getent', ['passwd', user], { encoding: 'utf8' }).trim().split(':')[5];
  if (!home || !existsSync(home)) throw new Error(`Home of ${user} is missing`);
  return home;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
