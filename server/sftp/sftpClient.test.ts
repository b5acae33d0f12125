import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect, promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSshServer, type OpenSshServer } from '../sim/testing/opensshServer';
import { paceFirstSftpConnection } from '../sim/testing/pacedSftpReads';
import { fetchHostKey } from './hostKey';
import { partPathOf } from './partialDownload';
import { maskedSftpUrl, sftpDownload, SftpError, type SftpDownloadOptions } from './sftpClient';

const BUNDLE = 'Documents/sftp_files/EWC_17_12_1';
const IMAGE_BYTES = 40 * 1024 * 1024 + 12_345;
const OTHER_FINGERPRINT = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

let server: OpenSshServer;
let work: string;
let imageSha256: string;

beforeAll(async () => {
  server = await startOpenSshServer({ user: 'ewcsftp' });
  work = mkdtempSync(join(tmpdir(), 'ewc-sftp-test-'));
  const bundle = join(server.home, BUNDLE);
  rmSync(bundle, { recursive: true, force: true });
  mkdirSync(bundle, { recursive: true, mode: 0o755 });
  const image = randomBytes(IMAGE_BYTES);
  imageSha256 = createHash('sha256').update(image).digest('hex');
  writeFileSync(join(bundle, 'ap1g4'), image, { mode: 0o644 });
  writeFileSync(join(bundle, 'version.info'), '17.12.1.5\n', { mode: 0o644 });
  writeFileSync(join(bundle, 'ap1g5'), 'not for you', { mode: 0o644 });
  chmodSync(join(bundle, 'ap1g5'), 0o000);
});

afterAll(async () => {
  if (server) rmSync(join(server.home, BUNDLE), { recursive: true, force: true });
  await server?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

function options(overrides: Partial<SftpDownloadOptions> & { destination: string }): SftpDownloadOptions {
  return {
    host: '127.0.0.1',
    port: server.port,
    credentials: { username: server.user, password: server.password },
    remotePath: `${BUNDLE}/ap1g4`,
    expectedFingerprint: server.hostKeyFingerprint,
    timeoutMs: 5_000,
    ...overrides,
  };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function failureOf(promise: Promise<unknown>): Promise<SftpError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SftpError);
  return error as SftpError;
}

describe('sftpDownload against OpenSSH', () => {
  it('downloads a 40 MB image byte for byte from a path relative to the login directory', async () => {
    const destination = join(work, 'ap1g4');
    const progress: number[] = [];
    const result = await sftpDownload(options({ destination, onProgress: (written) => progress.push(written) }));
    expect(result.bytes).toBe(IMAGE_BYTES);
    expect(result.resumedFrom).toBe(0);
    expect(result.fingerprint).toBe(server.hostKeyFingerprint);
    expect(await sha256Of(destination)).toBe(imageSha256);
    expect(progress.at(-1)).toBe(IMAGE_BYTES);
  });

  it('downloads by absolute path', async () => {
    const destination = join(work, 'ap1g4-absolute');
    const result = await sftpDownload(options({ destination, remotePath: join(server.home, BUNDLE, 'ap1g4'), resume: false }));
    expect(result.bytes).toBe(IMAGE_BYTES);
    expect(await sha256Of(destination)).toBe(imageSha256);
  });

  it('shares the reads of a large file over several connections, byte for byte', async () => {
    const reads = paceFirstSftpConnection();
    try {
      const destination = join(work, 'ap1g4-striped');
      // Small reads, the first connection's paced until another joins: the extra connections have time to log in.
      const result = await sftpDownload(options({ destination, connections: 3, chunkSize: 32_768, concurrency: 8, resume: false }));
      expect(result.bytes).toBe(IMAGE_BYTES);
      expect(await sha256Of(destination)).toBe(imageSha256);
      expect(reads.connectionsThatRead()).toBeGreaterThanOrEqual(2);
    } finally {
      reads.restore();
    }
  });

  it('reports a wrong path as the controller does, and creates no file', async () => {
    const destination = join(work, 'missing');
    const remotePath = 'Documents/Wrong-Path/ap1g6';
    const error = await failureOf(sftpDownload(options({ destination, remotePath })));
    expect(error.reason).toBe('No such file or directory');
    expect(error.code).toBe('not-found');
    expect(error.retryable).toBe(false);
    expect(`Failed to download file ${maskedSftpUrl('127.0.0.1', remotePath)}: ${error.reason}`).toBe(
      'Failed to download file sftp://*****@127.0.0.1/Documents/Wrong-Path/ap1g6: No such file or directory',
    );
    expect(existsSync(destination)).toBe(false);
  });

  it('reports a wrong password as Authentication failed, not retryable, without the password anywhere', async () => {
    const secret = 'Wr0ng-Secret-42';
    const error = await failureOf(sftpDownload(options({ destination: join(work, 'auth'), credentials: { username: server.user, password: secret } })));
    expect(error.reason).toBe('Authentication failed');
    expect(error.code).toBe('auth');
    expect(error.retryable).toBe(false);
    for (const shown of [String(error), error.stack ?? '', JSON.stringify(error), inspect(error, { depth: 5, showHidden: true })]) {
      expect(shown).not.toContain(secret);
    }
  });

  it('refuses a server whose host key differs from the pinned one before downloading anything', async () => {
    const destination = join(work, 'host-key');
    const error = await failureOf(sftpDownload(options({ destination, expectedFingerprint: OTHER_FINGERPRINT })));
    expect(error.code).toBe('host-key');
    expect(error.reason).toBe(`Host key changed: expected ${OTHER_FINGERPRINT}, got ${server.hostKeyFingerprint}`);
    expect(error.retryable).toBe(false);
    expect(existsSync(destination)).toBe(false);
  });

  it('asks the caller about an unpinned host key and stops when refused', async () => {
    const seen: string[] = [];
    const destination = join(work, 'untrusted');
    const error = await failureOf(sftpDownload(options({ destination, expectedFingerprint: null, onHostKey: (fingerprint) => (seen.push(fingerprint), false) })));
    expect(seen).toEqual([server.hostKeyFingerprint]);
    expect(error.reason).toBe(`Host key not trusted: ${server.hostKeyFingerprint}`);
    expect(existsSync(destination)).toBe(false);
  });

  it('reports an unreadable file as Permission denied', async () => {
    const error = await failureOf(sftpDownload(options({ destination: join(work, 'denied'), remotePath: `${BUNDLE}/ap1g5` })));
    expect(error.reason).toBe('Permission denied');
    expect(error.code).toBe('permission');
  });

  it('reports a closed port quickly', async () => {
    const closedPort = await unusedPort();
    const started = Date.now();
    const error = await failureOf(sftpDownload(options({ destination: join(work, 'closed'), port: closedPort, timeoutMs: 3_000 })));
    expect(['Connection refused', 'Timed out']).toContain(error.reason);
    expect(error.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('gives up on a server that accepts the connection but never speaks', async () => {
    const silent = await listenSilently();
    try {
      const started = Date.now();
      const error = await failureOf(sftpDownload(options({ destination: join(work, 'silent'), port: silent.port, timeoutMs: 1_000 })));
      expect(error.reason).toBe('Timed out');
      expect(error.code).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await silent.close();
    }
  });

  it('times out a read when the server goes silent mid-transfer', async () => {
    let frozen = false;
    const started = Date.now();
    try {
      const error = await failureOf(
        sftpDownload(
          options({
            destination: join(work, 'frozen'),
            resume: false,
            connections: 1,
            timeoutMs: 1_500,
            onProgress: () => {
              if (!frozen) server.freeze();
              frozen = true;
            },
          }),
        ),
      );
      expect(error.reason).toBe('Timed out');
      expect(error.retryable).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      server.thaw();
    }
  });

  it('stops on abort with Cancelled', async () => {
    const abort = new AbortController();
    const error = await failureOf(sftpDownload(options({ destination: join(work, 'cancelled'), resume: false, signal: abort.signal, onProgress: () => abort.abort() })));
    expect(error.reason).toBe('Cancelled');
    expect(error.code).toBe('cancelled');
  });

  it('resumes a transfer cut by a server crash from the bytes already written', async () => {
    const destination = join(work, 'resumed');
    let stopping: Promise<void> | null = null;
    const error = await failureOf(
      sftpDownload(
        options({
          destination,
          resume: false,
          onProgress: (written) => {
            if (written > 0 && !stopping) stopping = server.stop();
          },
        }),
      ),
    );
    await stopping;
    expect(error.code).toBe('connection');
    expect(error.retryable).toBe(true);
    const partial = statSync(partPathOf(destination)).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(IMAGE_BYTES);

    await server.restart();
    const result = await sftpDownload(options({ destination, resume: true }));
    expect(result.resumedFrom).toBe(partial);
    expect(result.bytes).toBe(IMAGE_BYTES);
    expect(await sha256Of(destination)).toBe(imageSha256);
  });

  it('logs in with a key', async () => {
    const key = join(work, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'ewc-test-client', '-f', key]);
    appendFileSync(server.authorizedKeysPath, readFileSync(`${key}.pub`));
    const destination = join(work, 'version.info');
    await sftpDownload(options({ destination, remotePath: `${BUNDLE}/version.info`, credentials: { username: server.user, privateKey: readFileSync(key) } }));
    expect(readFileSync(destination, 'utf8')).toBe('17.12.1.5\n');
  });

  it('learns the same host key fingerprint as ssh-keygen -lf', async () => {
    const probe = await fetchHostKey({ host: '127.0.0.1', port: server.port, timeoutMs: 5_000 });
    const hostKeyFile = join(work, 'host.pub');
    writeFileSync(hostKeyFile, `${server.hostPublicKey}\n`);
    const fromKeygen = (await promisify(execFile)('ssh-keygen', ['-l', '-f', hostKeyFile])).stdout.split(' ')[1];
    expect(probe).toEqual({ fingerprint: fromKeygen, keyType: 'ssh-ed25519' });
  });
});

describe('cli get', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'server/sftp/sftpGetCli.ts', ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('downloads with the password from SFTP_PASSWORD and prints JSON', async () => {
    const destination = join(work, 'cli-version.info');
    const url = `sftp://${server.user}@127.0.0.1:${server.port}/${BUNDLE}/version.info`;
    const { code, stdout, stderr } = await run(['get', url, destination, '--json'], { SFTP_PASSWORD: server.password });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, bytes: 10, fingerprint: server.hostKeyFingerprint });
    expect(stderr).toContain(`Warning: accepting the host key ${server.hostKeyFingerprint}`);
    expect(readFileSync(destination, 'utf8')).toBe('17.12.1.5\n');
  });

  it('fails with the masked syslog line and exit 1', async () => {
    const url = `sftp://${server.user}@127.0.0.1:${server.port}/Documents/Wrong-Path/ap1g6`;
    const { code, stderr } = await run(['get', url, join(work, 'cli-missing'), '--fingerprint', server.hostKeyFingerprint], { SFTP_PASSWORD: server.password });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('Failed to download file sftp://*****@127.0.0.1/Documents/Wrong-Path/ap1g6: No such file or directory');
  });

  it('exits 2 on usage errors and refuses a password in the URL', async () => {
    expect((await run(['get'])).code).toBe(2);
    const { code, stderr } = await run(['get', `sftp://u:secret@127.0.0.1:${server.port}/x`, join(work, 'x')]);
    expect(code).toBe(2);
    expect(stderr).toContain('SFTP_PASSWORD');
  });
});

function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No port'))));
    });
  });
}

function listenSilently(): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const sockets = new Set<import('node:net').Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    silent.once('error', reject);
    silent.listen(0, '127.0.0.1', () => {
      const address = silent.address();
      if (typeof address !== 'object' || !address) return reject(new Error('No port'));
      resolve({
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            silent.close(() => done());
          }),
      });
    });
  });
}
