import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeUdpPort, sha256File, startTftpdHpa, writeRandomFile, type RunningTftpd } from '../sim/testing/tftpdHpa';
import { TftpError, tftpDownload } from './tftpClient';

// More than 65,535 blocks at blksize 512, and not a multiple of it, so the block number wraps
// and the last block is short.
const BIG_SIZE = 65_820 * 512 + 123;
const SMALL_SIZE = 3_000_017;
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tftpGetCli.ts');

let root: string;
let out: string;
let hpa: RunningTftpd;
let hpaNoOptions: RunningTftpd;
const sums: Record<string, string> = {};

beforeAll(async () => {
  root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tftp-hpa-root-'));
  out = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tftp-hpa-out-'));
  await fs.promises.mkdir(path.join(root, 'EWC', '17_9_4a'), { recursive: true });
  await writeRandomFile(path.join(root, 'EWC', '17_9_4a', 'ap1g8'), BIG_SIZE);
  await writeRandomFile(path.join(root, 'EWC', '17_9_4a', 'ap1g6'), SMALL_SIZE);
  sums.ap1g8 = await sha256File(path.join(root, 'EWC', '17_9_4a', 'ap1g8'));
  sums.ap1g6 = await sha256File(path.join(root, 'EWC', '17_9_4a', 'ap1g6'));
  hpa = await startTftpdHpa({ root });
  hpaNoOptions = await startTftpdHpa({ root, extraArgs: ['--refuse', 'blksize', '--refuse', 'tsize', '--refuse', 'timeout'] });
});

afterAll(async () => {
  await hpa?.stop();
  await hpaNoOptions?.stop();
  await fs.promises.rm(root, { recursive: true, force: true });
  await fs.promises.rm(out, { recursive: true, force: true });
});

async function expectFailure(promise: Promise<unknown>): Promise<TftpError> {
  const error = await promise.then(
    () => expect.unreachable('download should have failed'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TftpError);
  return error as TftpError;
}

describe('tftpDownload against tftpd-hpa', () => {
  it('downloads a file of more than 65,535 blocks at blksize 512 byte-exact', async () => {
    const destination = path.join(out, 'ap1g8');
    const result = await tftpDownload({ host: '127.0.0.1', port: hpa.port, remotePath: '/EWC/17_9_4a/ap1g8', destination, blksize: 512 });
    expect(result.bytes).toBe(BIG_SIZE);
    expect(result.negotiated).toMatchObject({ blksize: 512, windowsize: 1, tsize: BIG_SIZE, optionsAccepted: true });
    expect((await fs.promises.stat(destination)).size).toBe(BIG_SIZE);
    expect(await sha256File(destination)).toBe(sums.ap1g8);
  });

  it('downloads at default settings, negotiating blksize 1468 and tsize', async () => {
    const destination = path.join(out, 'ap1g6-default');
    const progress: number[] = [];
    const result = await tftpDownload({
      host: '127.0.0.1',
      port: hpa.port,
      remotePath: 'EWC/17_9_4a/ap1g6',
      destination,
      onProgress: (bytes) => progress.push(bytes),
    });
    // tftpd-hpa does not implement RFC 7440, so the window stays at 1.
    expect(result.negotiated).toEqual({ blksize: 1468, windowsize: 1, tsize: SMALL_SIZE, timeoutSeconds: 1, optionsAccepted: true });
    expect(await sha256File(destination)).toBe(sums.ap1g6);
    expect(progress.at(-1)).toBe(SMALL_SIZE);
  });

  it('reports a missing file as "No such file or directory" and leaves no partial file', async () => {
    const destination = path.join(out, 'missing');
    const error = await expectFailure(tftpDownload({ host: '127.0.0.1', port: hpa.port, remotePath: '/Wrong-Path/ap1g6', destination }));
    expect(error.reason).toBe('No such file or directory');
    expect(error.code).toBe('not-found');
    expect(fs.existsSync(destination)).toBe(false);
  });

  it('gives up with "Timed out" within the retry bound when nothing listens', async () => {
    const port = await freeUdpPort();
    const destination = path.join(out, 'nobody');
    const started = Date.now();
    const error = await expectFailure(tftpDownload({ host: '127.0.0.1', port, remotePath: 'ap1g6', destination, timeoutMs: 200, retries: 2 }));
    const elapsed = Date.now() - started;
    expect(error.reason).toBe('Timed out');
    expect(error.code).toBe('timeout');
    // The RRQ plus two retransmissions, 200 ms apart each.
    expect(elapsed).toBeGreaterThanOrEqual(590);
    expect(elapsed).toBeLessThan(1500);
    expect(fs.existsSync(destination)).toBe(false);
  });

  it('falls back to RFC 1350 defaults when the server ignores every option', async () => {
    const destination = path.join(out, 'ap1g6-refused');
    const result = await tftpDownload({ host: '127.0.0.1', port: hpaNoOptions.port, remotePath: '/EWC/17_9_4a/ap1g6', destination });
    expect(result.negotiated).toEqual({ blksize: 512, windowsize: 1, tsize: null, timeoutSeconds: null, optionsAccepted: false });
    expect(await sha256File(destination)).toBe(sums.ap1g6);
  });

  it('downloads with a plain RFC 1350 request when options are turned off', async () => {
    const destination = path.join(out, 'ap1g6-plain');
    const result = await tftpDownload({ host: '127.0.0.1', port: hpa.port, remotePath: '/EWC/17_9_4a/ap1g6', destination, requestOptions: false });
    expect(result.negotiated.optionsAccepted).toBe(false);
    expect(await sha256File(destination)).toBe(sums.ap1g6);
  });

  it('cancels on abort, reporting "Cancelled" and removing the partial file', async () => {
    const destination = path.join(out, 'aborted');
    const controller = new AbortController();
    let seen = 0;
    const error = await expectFailure(
      tftpDownload({
        host: '127.0.0.1',
        port: hpa.port,
        remotePath: '/EWC/17_9_4a/ap1g8',
        destination,
        blksize: 512,
        signal: controller.signal,
        onProgress: (bytes) => {
          seen = bytes;
          if (bytes > 0) controller.abort();
        },
      }),
    );
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(BIG_SIZE);
    expect(error.reason).toBe('Cancelled');
    expect(error.code).toBe('cancelled');
    expect(fs.existsSync(destination)).toBe(false);
  });
});

describe('tftp CLI against tftpd-hpa', () => {
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((ok) => {
      execFile(process.execPath, ['--import', 'tsx', CLI, ...args], (error, stdout, stderr) => ok({ code: error ? Number(error.code) : 0, stdout, stderr }));
    });

  it('prints the negotiation and exits 0 on success', async () => {
    const destination = path.join(out, 'cli-ok');
    const { code, stdout } = await cli(['get', `tftp://127.0.0.1:${hpa.port}/EWC/17_9_4a/ap1g6`, destination]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Negotiated: blksize 1468, windowsize 1, tsize ${SMALL_SIZE}`);
    expect(stdout).toMatch(new RegExp(`Downloaded ${SMALL_SIZE} bytes in \\d+\\.\\d{3} s \\([\\d.]+ MB/s\\)`));
    expect(await sha256File(destination)).toBe(sums.ap1g6);
  });

  it('prints the controller-style failure line and exits 1', async () => {
    const url = `tftp://127.0.0.1:${hpa.port}/Wrong-Path/ap1g6`;
    const { code, stderr } = await cli(['get', url, path.join(out, 'cli-missing')]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`Failed to download file ${url}: No such file or directory`);
  });

  it('exits 2 with a usage line on bad arguments', async () => {
    const { code, stderr } = await cli(['get', 'http://127.0.0.1/ap1g6', path.join(out, 'x'), '--blksize', '4']);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: tftp get tftp://HOST[:PORT]/PATH LOCALFILE');
  });
});
