import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lossyLoopbackRules, runInNetns } from '../sim/testing/netns';
import type { NetnsDownloadReport, NetnsDownloadRequest } from '../sim/testing/tftpNetnsDownload';
import { ensureAtftpd, sha256File, startAtftpd, startTftpdHpa, writeRandomFile, type RunningTftpd } from '../sim/testing/tftpdHpa';
import { startUdpRelay, type UdpRelay } from '../sim/testing/udpRelay';
import { TftpError, tftpDownload } from './tftpClient';

// Real servers on a network that loses, duplicates and reorders packets. Loss and duplication
// come from nftables inside a private network namespace (unshare -rn); reordering and delay
// from a UDP relay between client and server.

// Small enough that ~150 losses, each costing a retransmission timeout, fit in a few seconds.
const SIZE = 1_000_003;
const HELPER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'sim', 'testing', 'tftpNetnsDownload.ts');

let root: string;
let out: string;
let expectedSum: string;

beforeAll(async () => {
  await ensureAtftpd();
  root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tftp-loss-root-'));
  out = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tftp-loss-out-'));
  await writeRandomFile(path.join(root, 'ap1g6'), SIZE);
  expectedSum = await sha256File(path.join(root, 'ap1g6'));
});

afterAll(async () => {
  await fs.promises.rm(root, { recursive: true, force: true });
  await fs.promises.rm(out, { recursive: true, force: true });
});

async function downloadInLossyNetns(request: Omit<NetnsDownloadRequest, 'root' | 'remotePath'>): Promise<NetnsDownloadReport> {
  const { stdout } = await runInNetns(lossyLoopbackRules(10, 5), [process.execPath, '--import', 'tsx', HELPER, JSON.stringify({ ...request, root, remotePath: 'ap1g6' })], 40_000);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as NetnsDownloadReport;
}

describe('tftpDownload on a network that drops 10 % and duplicates 5 % of packets', () => {
  it('downloads from tftpd-hpa (lock-step) byte-exact', async () => {
    const destination = path.join(out, 'hpa-lossy');
    // tftpd-hpa never answers a repeated ACK with DATA (Sorcerer's Apprentice), so only its own
    // timer recovers a lost block; the timeout option has whole seconds, which would make ~150
    // losses take minutes. Refusing it leaves the server on -T, here 20 ms.
    const report = await downloadInLossyNetns({
      server: 'tftpd-hpa',
      serverArgs: ['--refuse', 'timeout', '-T', '20000'],
      destination,
      windowsize: 1,
      timeoutMs: 100,
      retries: 20,
    });
    expect(report).toMatchObject({ ok: true, bytes: SIZE, windowsize: 1 });
    // The rules really hit this transfer: ~680 blocks and as many ACKs went through them.
    expect(report.counters.dropped).toBeGreaterThan(30);
    expect(report.counters.duplicated).toBeGreaterThan(10);
    expect(await sha256File(destination)).toBe(expectedSum);
  });

  it('downloads from atftpd with windowsize 16 byte-exact', async () => {
    const destination = path.join(out, 'atftpd-lossy');
    const report = await downloadInLossyNetns({ server: 'atftpd', destination, windowsize: 16, timeoutMs: 50, retries: 50 });
    expect(report).toMatchObject({ ok: true, bytes: SIZE, windowsize: 16 });
    expect(report.counters.dropped).toBeGreaterThan(10);
    expect(report.counters.duplicated).toBeGreaterThan(5);
    expect(await sha256File(destination)).toBe(expectedSum);
  });
});

describe('tftpDownload through a relay that reorders and delays DATA', () => {
  const servers: RunningTftpd[] = [];
  let relay: UdpRelay | null = null;

  afterAll(async () => {
    await relay?.close();
    for (const server of servers) await server.stop();
  });

  for (const [name, start] of [
    ['tftpd-hpa', startTftpdHpa],
    ['atftpd', startAtftpd],
  ] as const) {
    it(`downloads from ${name} with windowsize 16 byte-exact`, async () => {
      const server = await start({ root });
      servers.push(server);
      // Every 7th DATA packet arrives behind the next two, or 5 ms late when nothing follows.
      relay = await startUdpRelay({ serverPort: server.port, holdEvery: 7, holdBehind: 2, maxHoldMs: 5 });
      const destination = path.join(out, `${name}-reordered`);
      const result = await tftpDownload({ host: '127.0.0.1', port: relay.port, remotePath: 'ap1g6', destination, windowsize: 16, timeoutMs: 200 });
      // tftpd-hpa has no RFC 7440 and stays lock-step; atftpd grants the window.
      expect(result.negotiated.windowsize).toBe(name === 'atftpd' ? 16 : 1);
      expect(result.bytes).toBe(SIZE);
      expect(relay.reordered).toBeGreaterThan(50);
      expect(await sha256File(destination)).toBe(expectedSum);
      await relay.close();
      relay = null;
    });
  }
});

describe('tftpDownload when the server dies mid-transfer', () => {
  for (const [name, start] of [
    ['tftpd-hpa', startTftpdHpa],
    ['atftpd', startAtftpd],
  ] as const) {
    it(`ends in "Timed out" within timeout x (retries + 1) after ${name} is killed`, async () => {
      const big = path.join(root, 'big');
      if (!fs.existsSync(big)) await writeRandomFile(big, 40_000_000);
      const server = await start({ root });
      const destination = path.join(out, `${name}-killed`);
      const timeoutMs = 200;
      const retries = 3;
      let killedAt = 0;
      const download = tftpDownload({
        host: '127.0.0.1',
        port: server.port,
        remotePath: 'big',
        destination,
        blksize: 512,
        windowsize: 1,
        timeoutMs,
        retries,
        onProgress: (written) => {
          if (written > 0 && killedAt === 0) {
            killedAt = performance.now();
            void server.kill();
          }
        },
      });
      const error = await download.then(
        () => expect.unreachable('the download should not finish without its server'),
        (e: unknown) => e,
      );
      const elapsed = performance.now() - killedAt;
      await server.stop();
      expect(error).toBeInstanceOf(TftpError);
      expect((error as TftpError).reason).toBe('Timed out');
      expect(killedAt).toBeGreaterThan(0);
      expect(elapsed).toBeGreaterThanOrEqual(timeoutMs * (retries + 1) - 50);
      expect(elapsed).toBeLessThan(timeoutMs * (retries + 1) + 300);
      expect(fs.existsSync(destination)).toBe(false);
    });
  }
});
