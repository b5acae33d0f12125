import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImageCache } from '../imageSource/imageCache';
import { SftpImageSource } from '../imageSource/sftpImageSource';
import { startOpenSshServer, type OpenSshServer } from '../sim/testing/opensshServer';
import { partPathOf, sidecarPathOf } from './partialDownload';
import { sftpDownload, type SftpError } from './sftpClient';

// The case: a 32 MiB remote file, and a 10 MB unrelated file where it is to be saved.
const DIR = `partial-test-${process.pid}`;
const BIG_BYTES = 33_554_432;
const STALE_BYTES = 10_000_000;

let server: OpenSshServer;
let work: string;
let remote: string;
let bigSha256: string;

beforeAll(async () => {
  server = await startOpenSshServer({ user: 'ewcsftp', hostKeyAlgorithms: ['ed25519', 'rsa', 'ecdsa'] });
  work = mkdtempSync(join(tmpdir(), 'ewc-sftp-partial-'));
  mkdirSync(join(server.home, DIR), { recursive: true, mode: 0o755 });
  remote = join(server.home, DIR, 'big');
});

beforeEach(() => {
  // Every test starts from its own remote content, with a modification time the next test can differ from.
  const content = randomBytes(BIG_BYTES);
  bigSha256 = sha256(content);
  writeFileSync(remote, content, { mode: 0o644 });
});

afterAll(async () => {
  if (server) rmSync(join(server.home, DIR), { recursive: true, force: true });
  await server?.dispose();
  if (work) rmSync(work, { recursive: true, force: true });
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const url = () => `sftp://${server.user}@127.0.0.1:${server.port}/${DIR}/big`;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/sftp/sftpGetCli.ts', 'get', url(), ...args, '--fingerprint', server.hostKeys[1].fingerprint],
      { env: { ...process.env, SFTP_PASSWORD: server.password } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A download stopped after its first bytes reached the disk: the `.part` a dropped connection leaves. */
async function interruptedDownload(destination: string): Promise<number> {
  const abort = new AbortController();
  const error = await sftpDownload({
    host: '127.0.0.1',
    port: server.port,
    credentials: { username: server.user, password: server.password },
    remotePath: `${DIR}/big`,
    destination,
    expectedFingerprint: server.hostKeyFingerprint,
    chunkSize: 65_536,
    concurrency: 4,
    signal: abort.signal,
    onProgress: (written) => {
      if (written > 0) abort.abort();
    },
  }).catch((caught: unknown) => caught);
  expect((error as SftpError).code).toBe('cancelled');
  const partial = statSync(partPathOf(destination)).size;
  expect(partial).toBeGreaterThan(0);
  expect(partial).toBeLessThan(BIG_BYTES);
  return partial;
}

function staleFile(path: string): Buffer {
  const stale = randomBytes(STALE_BYTES);
  writeFileSync(path, stale);
  return stale;
}

describe('npm run sftp -- get: only its own partial file is resumed', () => {
  it('overwrites an unrelated file at the destination and leaves no .part behind', async () => {
    const destination = join(work, 'stale');
    const stale = staleFile(destination);
    expect(stale.subarray(0, 16).equals(readFileSync(remote).subarray(0, 16))).toBe(false);

    const { code, stdout, stderr } = await cli([destination]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`${destination}: ${BIG_BYTES} bytes, ${BIG_BYTES} fetched`);
    expect(stdout).not.toContain('resumed');
    expect(sha256(readFileSync(destination))).toBe(bigSha256);
    expect(existsSync(partPathOf(destination))).toBe(false);
    expect(existsSync(sidecarPathOf(destination))).toBe(false);
  });

  it('--resume onto an unrelated file, or a .part it did not write, downloads from byte 0', async () => {
    const destination = join(work, 'stale-resume');
    staleFile(destination);
    const plain = await cli([destination, '--resume']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(`${BIG_BYTES} bytes, ${BIG_BYTES} fetched`);
    expect(sha256(readFileSync(destination))).toBe(bigSha256);

    // A .part of the right size range but with no sidecar of this source, e.g. left by another tool.
    staleFile(partPathOf(destination));
    writeFileSync(sidecarPathOf(destination), JSON.stringify({ source: 'sftp://someone@10.0.0.9:22/other', size: BIG_BYTES, mtime: 1 }));
    const foreign = await cli([destination, '--resume']);
    expect(foreign.code).toBe(0);
    expect(foreign.stderr).toBe('Not resuming: stale-resume.part was not written by this client for this file; downloading from byte 0\n');
    expect(foreign.stdout).toContain(`${BIG_BYTES} bytes, ${BIG_BYTES} fetched`);
    expect(sha256(readFileSync(destination))).toBe(bigSha256);
  });

  it('--resume continues a genuinely interrupted download and fetches only the remainder', async () => {
    const destination = join(work, 'interrupted');
    staleFile(destination);
    const partial = await interruptedDownload(destination);
    const sidecar: unknown = JSON.parse(readFileSync(sidecarPathOf(destination), 'utf8'));
    expect(sidecar).toMatchObject({ source: `sftp://${server.user}@127.0.0.1:${server.port}/${DIR}/big`, size: BIG_BYTES });
    expect(JSON.stringify(sidecar)).not.toContain(server.password);
    // The interrupted download never touched the file at the destination.
    expect(statSync(destination).size).toBe(STALE_BYTES);

    const { code, stdout } = await cli([destination, '--resume']);
    expect(code).toBe(0);
    expect(stdout).toContain(`${BIG_BYTES} bytes (resumed at ${partial} bytes), ${BIG_BYTES - partial} fetched`);
    expect(sha256(readFileSync(destination))).toBe(bigSha256);
    expect(existsSync(partPathOf(destination))).toBe(false);
  });

  it('does not resume when the remote file changed since the interruption, nor without --resume', async () => {
    const destination = join(work, 'changed');
    await interruptedDownload(destination);
    const replaced = randomBytes(BIG_BYTES);
    writeFileSync(remote, replaced);
    utimesSync(remote, new Date(), new Date(Date.now() + 60_000));
    const changed = await cli([destination, '--resume']);
    expect(changed.code).toBe(0);
    expect(changed.stderr).toContain('Not resuming: the remote file changed since the interrupted download');
    expect(sha256(readFileSync(destination))).toBe(sha256(replaced));

    await interruptedDownload(destination);
    const fresh = await cli([destination]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain(`${BIG_BYTES} bytes, ${BIG_BYTES} fetched`);
    expect(sha256(readFileSync(destination))).toBe(sha256(replaced));
  });

  it('checks the SHA-256 given with --sha256, and a wrong one leaves the destination as it was', async () => {
    const destination = join(work, 'digest');
    const stale = staleFile(destination);
    const wrong = await cli([destination, '--sha256', '0'.repeat(64)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`SHA-256 mismatch: expected ${'0'.repeat(64)}, got ${bigSha256}`);
    expect(readFileSync(destination).equals(stale)).toBe(true);
    expect(existsSync(partPathOf(destination))).toBe(false);

    const right = await cli([destination, '--sha256', bigSha256]);
    expect(right.code).toBe(0);
    expect(right.stdout).toContain('SHA-256 verified');
    expect(sha256(readFileSync(destination))).toBe(bigSha256);
  });
});

describe('the console image cache', () => {
  const source = () =>
    new SftpImageSource({
      server: '127.0.0.1',
      port: server.port,
      imagePath: DIR,
      credentials: { username: server.user, password: server.password },
      hostKeyFingerprint: server.hostKeys[2].fingerprint,
      timeoutMs: 5_000,
    });
  const fetchOptions = { signal: new AbortController().signal, onProgress: () => undefined };

  it('replaces an unrelated file in the cache, and resumes only its own interrupted fetch', async () => {
    const dir = join(work, 'cache');
    mkdirSync(dir, { recursive: true });
    staleFile(join(dir, 'big'));
    const image = await new ImageCache(dir, source()).get('big', fetchOptions);
    expect(image).toMatchObject({ size: BIG_BYTES, sha256: bigSha256 });
    expect(image.detail).not.toContain('resumed');

    const resumedDir = join(work, 'cache-resumed');
    mkdirSync(resumedDir, { recursive: true });
    const partial = await interruptedDownload(join(resumedDir, 'big'));
    const resumed = await new ImageCache(resumedDir, source()).get('big', fetchOptions);
    expect(resumed).toMatchObject({ size: BIG_BYTES, sha256: bigSha256 });
    expect(resumed.detail).toContain(`(ECDSA), resumed at byte ${partial}`);
  });
});
