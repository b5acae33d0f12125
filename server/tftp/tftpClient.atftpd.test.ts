import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File, startAtftpd, writeRandomFile, type RunningTftpd } from '../sim/testing/tftpdHpa';
import { tftpDownload } from './tftpClient';

// atftpd is the Debian server that implements RFC 7440, so it is where windowing is proven.

const SIZE = 12_345_678;

let root: string;
let out: string;
let atftpd: RunningTftpd;
let sum: string;

beforeAll(async () => {
  root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tftp-atftpd-root-'));
  out = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tftp-atftpd-out-'));
  await fs.promises.mkdir(path.join(root, 'EWC'), { recursive: true });
  await writeRandomFile(path.join(root, 'EWC', 'C9800-AP-iosxe-wlc.bin'), SIZE);
  sum = await sha256File(path.join(root, 'EWC', 'C9800-AP-iosxe-wlc.bin'));
  atftpd = await startAtftpd({ root });
});

afterAll(async () => {
  await atftpd?.stop();
  await fs.promises.rm(root, { recursive: true, force: true });
  await fs.promises.rm(out, { recursive: true, force: true });
});

describe('tftpDownload against atftpd', () => {
  it('downloads with windowsize 16 byte-exact and reports the negotiated window', async () => {
    const destination = path.join(out, 'C9800-AP-iosxe-wlc.bin');
    const result = await tftpDownload({
      host: '127.0.0.1',
      port: atftpd.port,
      remotePath: 'EWC/C9800-AP-iosxe-wlc.bin',
      destination,
      blksize: 1468,
      windowsize: 16,
    });
    expect(result.negotiated).toMatchObject({ blksize: 1468, windowsize: 16, tsize: SIZE, optionsAccepted: true });
    expect(result.bytes).toBe(SIZE);
    expect(await sha256File(destination)).toBe(sum);
  });

  it('reports a missing file as "No such file or directory"', async () => {
    const destination = path.join(out, 'missing');
    await expect(tftpDownload({ host: '127.0.0.1', port: atftpd.port, remotePath: 'EWC/17_9_4a/ap1g6', destination })).rejects.toMatchObject({
      reason: 'No such file or directory',
      code: 'not-found',
    });
    expect(fs.existsSync(destination)).toBe(false);
  });
});
