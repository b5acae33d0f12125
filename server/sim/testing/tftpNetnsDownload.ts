import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tftpDownload, TftpError } from '../../tftp/tftpClient';
import { startAtftpd, startTftpdHpa } from './tftpdHpa';

// Runs inside the namespace made by runInNetns: starts a real TFTP server on the namespace's
// loopback, downloads one file through the lossy rules, and prints one JSON line with the
// outcome and the nftables counters (so the test can tell that packets really were lost).

export interface NetnsDownloadRequest {
  server: 'tftpd-hpa' | 'atftpd';
  root: string;
  remotePath: string;
  destination: string;
  windowsize: number;
  blksize?: number;
  timeoutMs?: number;
  retries?: number;
  /** Extra tftpd-hpa arguments. */
  serverArgs?: string[];
}

export interface NetnsDownloadReport {
  ok: boolean;
  reason?: string;
  bytes?: number;
  windowsize?: number;
  counters: Record<string, number>;
}

async function counters(): Promise<Record<string, number>> {
  const { stdout } = await promisify(execFile)('nft', ['-j', 'list', 'counters']);
  const result: Record<string, number> = {};
  for (const item of (JSON.parse(stdout) as { nftables: { counter?: { name: string; packets: number } }[] }).nftables) {
    if (item.counter) result[item.counter.name] = item.counter.packets;
  }
  return result;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2]!) as NetnsDownloadRequest;
  const server = request.server === 'tftpd-hpa' ? await startTftpdHpa({ root: request.root, extraArgs: request.serverArgs }) : await startAtftpd({ root: request.root });
  let report: NetnsDownloadReport;
  try {
    const result = await tftpDownload({
      host: '127.0.0.1',
      port: server.port,
      remotePath: request.remotePath,
      destination: request.destination,
      blksize: request.blksize,
      windowsize: request.windowsize,
      timeoutMs: request.timeoutMs,
      retries: request.retries,
    });
    report = { ok: true, bytes: result.bytes, windowsize: result.negotiated.windowsize, counters: await counters() };
  } catch (e) {
    report = { ok: false, reason: e instanceof TftpError ? e.reason : String(e), counters: await counters() };
  } finally {
    await server.stop();
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
