import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSshServer, type HostKeyAlgorithmName, type OpenSshServer } from '../sim/testing/opensshServer';
import { paceFirstSftpConnection } from '../sim/testing/pacedSftpReads';
import { probeHostKey } from './hostKeyProbe';
import { sftpDownload, SftpError, type SftpDownloadOptions } from './sftpClient';

// OpenSSH's default set of host keys; ssh2 prefers ed25519, so the others are the ones a pin may miss.
const DIR = `hostkeys-test-${process.pid}`;
const FILE_BYTES = 20 * 1024 * 1024 + 777;
const OTHER_FINGERPRINT = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

let server: OpenSshServer;
let work: string;
let fileSha256: string;

beforeAll(async () => {
  server = await startOpenSshServer({ user: 'ewcsftp', hostKeyAlgorithms: ['ed25519', 'rsa', 'ecdsa'] });
  work = mkdtempSync(join(tmpdir(), 'ewc-sftp-hostkeys-'));
  mkdirSync(join(server.home, DIR), { recursive: true, mode: 0o755 });
  const content = randomBytes(FILE_BYTES);
  fileSha256 = sha256(content);
  writeFileSync(join(server.home, DIR, 'big'), content, { mode: 0o644 });
});

afterAll(async () => {
  if (server) rmSync(join(server.home, DIR), { recursive: true, force: true });
  await server?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function hostKey(algorithm: HostKeyAlgorithmName) {
  const key = server.hostKeys.find((candidate) => candidate.algorithm === algorithm);
  if (!key) throw new Error(`No ${algorithm} host key`);
  return key;
}

function options(overrides: Partial<SftpDownloadOptions> & { destination: string; expectedFingerprint: string }): SftpDownloadOptions {
  return { host: '127.0.0.1', port: server.port, credentials: { username: server.user, password: server.password }, remotePath: `${DIR}/big`, timeoutMs: 5_000, ...overrides };
}

describe('host key pinning against OpenSSH with ed25519, RSA and ECDSA host keys', () => {
  it('has three distinct keys, and ssh2 by default negotiates the ed25519 one', async () => {
    expect(server.hostKeys.map((key) => key.keyType)).toEqual(['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256']);
    expect(new Set(server.hostKeys.map((key) => key.fingerprint)).size).toBe(3);
    // Get host key reports the type with the fingerprint, so that trusting it stores both.
    expect(await probeHostKey('127.0.0.1', server.port, 5_000)).toEqual({
      host: '127.0.0.1',
      port: server.port,
      fingerprint: hostKey('ed25519').fingerprint,
      keyType: 'ssh-ed25519',
    });
  });

  it('connects with the RSA fingerprint pasted without its type, and downloads byte for byte', async () => {
    const destination = join(work, 'rsa-untyped');
    const result = await sftpDownload(options({ destination, expectedFingerprint: hostKey('rsa').fingerprint }));
    expect(result).toMatchObject({ bytes: FILE_BYTES, fingerprint: hostKey('rsa').fingerprint, keyType: 'ssh-rsa' });
    expect(sha256(readFileSync(destination))).toBe(fileSha256);
  });

  it('connects with the ECDSA fingerprint pasted without its type', async () => {
    const destination = join(work, 'ecdsa-untyped');
    const result = await sftpDownload(options({ destination, expectedFingerprint: hostKey('ecdsa').fingerprint }));
    expect(result).toMatchObject({ fingerprint: hostKey('ecdsa').fingerprint, keyType: 'ecdsa-sha2-nistp256' });
    expect(sha256(readFileSync(destination))).toBe(fileSha256);
  });

  it('asks for a typed pin at once: the RSA key is what the server presents, no other key is tried', async () => {
    // With a type, a mismatch is final (no search), so success proves the first key exchange chose RSA.
    const destination = join(work, 'rsa-typed');
    const result = await sftpDownload(options({ destination, expectedFingerprint: hostKey('rsa').fingerprint, expectedKeyType: 'ssh-rsa' }));
    expect(result.keyType).toBe('ssh-rsa');
    expect(sha256(readFileSync(destination))).toBe(fileSha256);

    const error = await sftpDownload(options({ destination: join(work, 'typed-wrong'), expectedFingerprint: hostKey('rsa').fingerprint, expectedKeyType: 'ssh-ed25519' })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(SftpError);
    expect((error as SftpError).reason).toBe(`Host key changed: expected ${hostKey('rsa').fingerprint}, got ${hostKey('ed25519').fingerprint}`);
  });

  it('shares the reads over several connections pinned to the RSA key, byte for byte', async () => {
    const reads = paceFirstSftpConnection();
    try {
      const destination = join(work, 'rsa-striped');
      const result = await sftpDownload(options({ destination, expectedFingerprint: hostKey('rsa').fingerprint, connections: 3, chunkSize: 32_768, concurrency: 8 }));
      expect(result.keyType).toBe('ssh-rsa');
      expect(sha256(readFileSync(destination))).toBe(fileSha256);
      // The extra connections ask for the RSA key too, or they would be refused and never read.
      expect(reads.connectionsThatRead()).toBeGreaterThanOrEqual(2);
    } finally {
      reads.restore();
    }
  });

  it('says "Host key changed" only when no key of the server matches, naming every key it presented', async () => {
    const destination = join(work, 'wrong');
    const error = await sftpDownload(options({ destination, expectedFingerprint: OTHER_FINGERPRINT })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SftpError);
    expect((error as SftpError).code).toBe('host-key');
    expect((error as SftpError).reason).toBe(
      `Host key changed: expected ${OTHER_FINGERPRINT}, got ${hostKey('ed25519').fingerprint} (ED25519), ` + `${hostKey('ecdsa').fingerprint} (ECDSA), ${hostKey('rsa').fingerprint} (RSA)`,
    );
  });

  it('the CLI connects with the fingerprint ssh-keygen -lf prints for the RSA key', async () => {
    const keygen = await run('ssh-keygen', ['-l', '-f', hostKey('rsa').publicKeyPath]);
    const fingerprint = keygen.stdout.split(' ')[1];
    expect(keygen.stdout).toMatch(/\(RSA\)\s*$/);
    const destination = join(work, 'cli-rsa');
    const url = `sftp://${server.user}@127.0.0.1:${server.port}/${DIR}/big`;
    const cli = await run(process.execPath, ['--import', 'tsx', 'server/sftp/sftpGetCli.ts', 'get', url, destination, '--fingerprint', fingerprint], {
      SFTP_PASSWORD: server.password,
    });
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`Host key ${fingerprint} (RSA)`);
    expect(sha256(readFileSync(destination))).toBe(fileSha256);
  });
});

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env } }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}
