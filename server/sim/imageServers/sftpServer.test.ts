import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, type SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sftpDownload, SftpError, type SftpDownloadOptions } from '../../sftp/sftpClient';
import { startSftpServer, type DemoSftpServer } from './sftpServer';

const USER = 'demo';
const PASSWORD = 'demo-Password-1';
const IMAGE_BYTES = 20 * 1024 * 1024 + 777;

let work: string;
let root: string;
let hostKeyPath: string;
let server: DemoSftpServer;
let image: Buffer;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ewc-demo-sftp-'));
  root = join(work, 'root');
  hostKeyPath = join(work, 'keys', 'ssh_host_ecdsa_key');
  mkdirSync(join(root, 'Documents/sftp_files/EWC_17_12_1'), { recursive: true });
  image = randomBytes(IMAGE_BYTES);
  writeFileSync(join(root, 'Documents/sftp_files/EWC_17_12_1/ap1g6'), image);
  writeFileSync(join(work, 'outside.txt'), 'not served');
  server = await startSftpServer({ root, username: USER, password: PASSWORD, hostKeyPath });
});

afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function options(overrides: Partial<SftpDownloadOptions> & { destination: string }): SftpDownloadOptions {
  return {
    host: server.host,
    port: server.port,
    credentials: { username: USER, password: PASSWORD },
    remotePath: 'Documents/sftp_files/EWC_17_12_1/ap1g6',
    expectedFingerprint: server.fingerprint,
    timeoutMs: 5_000,
    ...overrides,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<SftpError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SftpError);
  return error as SftpError;
}

/** Runs `use` with ssh2's own SFTP client, for the operations our downloader never sends. */
function withSftp(use: (sftp: SFTPWrapper) => Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const client = new Client();
    client.on('error', reject);
    client.on('ready', () =>
      client.sftp((error, sftp) => {
        if (error) return reject(error);
        use(sftp)
          .then(resolve, reject)
          .finally(() => client.end());
      }),
    );
    client.connect({ host: server.host, port: server.port, username: USER, password: PASSWORD, hostVerifier: () => true });
  });
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('demo SFTP server', () => {
  it('serves an image byte for byte, by relative and by absolute path', async () => {
    for (const remotePath of ['Documents/sftp_files/EWC_17_12_1/ap1g6', '/Documents/sftp_files/EWC_17_12_1/ap1g6']) {
      const destination = join(work, 'ap1g6');
      const result = await sftpDownload(options({ destination, remotePath, resume: false }));
      expect(result.bytes).toBe(IMAGE_BYTES);
      expect(sha256(readFileSync(destination))).toBe(sha256(image));
    }
  });

  it('answers a wrong path with No such file or directory', async () => {
    const error = await failureOf(sftpDownload(options({ destination: join(work, 'x'), remotePath: 'Documents/Wrong-Path/ap1g6' })));
    expect(error.reason).toBe('No such file or directory');
  });

  it('serves nothing outside its root', async () => {
    const error = await failureOf(sftpDownload(options({ destination: join(work, 'escape'), remotePath: '../../outside.txt' })));
    expect(error.reason).toBe('No such file or directory');
    expect(existsSync(join(work, 'escape'))).toBe(false);
  });

  it('answers a wrong password with Authentication failed', async () => {
    const error = await failureOf(sftpDownload(options({ destination: join(work, 'y'), credentials: { username: USER, password: 'nope' } })));
    expect(error.reason).toBe('Authentication failed');
    expect(error.code).toBe('auth');
  });

  it('lists directories, resolves paths from the login directory and refuses writes', async () => {
    await withSftp(async (sftp) => {
      const names = await new Promise<string[]>((resolve, reject) =>
        sftp.readdir('Documents/sftp_files/EWC_17_12_1', (error, list) => (error ? reject(error) : resolve(list.map((entry) => entry.filename)))),
      );
      expect(names).toEqual(['ap1g6']);
      const home = await new Promise<string>((resolve, reject) => sftp.realpath('.', (error, path) => (error ? reject(error) : resolve(path))));
      expect(home).toBe('/');
      const status = await new Promise<number | undefined>((resolve) => sftp.open('Documents/new-file', 'w', (error) => resolve((error as (Error & { code?: number }) | undefined)?.code)));
      expect(status).toBe(3);
    });
    expect(existsSync(join(root, 'Documents/new-file'))).toBe(false);
  });

  it("loads under Node's own ESM loader, as the console's tsx process does", async () => {
    // Vitest's interop hides ssh2 exports that Node's CommonJS detection misses; tsx does not.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '-e', "import('./server/sim/imageServers/sftpServer.ts').then((m) => console.log(typeof m.startSftpServer))"]);
    expect(stdout.trim()).toBe('function');
  });

  it('keeps its host key across restarts', async () => {
    const again = await startSftpServer({ root, username: USER, password: PASSWORD, hostKeyPath });
    try {
      expect(again.fingerprint).toBe(server.fingerprint);
      expect(again.port).not.toBe(server.port);
    } finally {
      await again.close();
    }
  });
});
