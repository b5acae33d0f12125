import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File, writeRandomFile } from '../testing/tftpdHpa';
import { ErrorCode, Opcode, decodeError, encodeRequest } from '../../tftp/packets';
import { tftpDownload } from '../../tftp/tftpClient';
import { startTftpServer, type TftpServerHandle } from './tftpServer';

const IMAGE_SIZE = 7_340_033;

let base: string;
let root: string;
let out: string;
let server: TftpServerHandle;
let imageSum: string;

beforeAll(async () => {
  base = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tftp-server-'));
  root = path.join(base, 'root');
  out = path.join(base, 'out');
  await fs.promises.mkdir(path.join(root, 'EWC', '17_9_4a'), { recursive: true });
  await fs.promises.mkdir(out);
  await writeRandomFile(path.join(root, 'EWC', '17_9_4a', 'ap1g8'), IMAGE_SIZE);
  await writeRandomFile(path.join(root, 'exact'), 4 * 512);
  await writeRandomFile(path.join(root, 'tiny-blocks'), 70_000 * 8 + 3);
  await fs.promises.writeFile(path.join(base, 'secret'), 'outside root');
  await fs.promises.symlink(path.join(base, 'secret'), path.join(root, 'link-out'));
  imageSum = await sha256File(path.join(root, 'EWC', '17_9_4a', 'ap1g8'));
  server = await startTftpServer({ root });
});

afterAll(async () => {
  await server?.close();
  await fs.promises.rm(base, { recursive: true, force: true });
});

const download = (remotePath: string, name: string, extra: { blksize?: number; windowsize?: number } = {}) =>
  tftpDownload({ host: server.host, port: server.port, remotePath, destination: path.join(out, name), ...extra });

describe('startTftpServer', () => {
  it('serves an image byte-exact with windowsize 16, treating a leading / as relative to root', async () => {
    const result = await download('/EWC/17_9_4a/ap1g8', 'ap1g8', { blksize: 1468, windowsize: 16 });
    expect(result.negotiated).toEqual({ blksize: 1468, windowsize: 16, tsize: IMAGE_SIZE, timeoutSeconds: 1, optionsAccepted: true });
    expect(await sha256File(path.join(out, 'ap1g8'))).toBe(imageSum);
  });

  it('ends a file that is an exact multiple of blksize with an empty block', async () => {
    const result = await download('exact', 'exact', { blksize: 512, windowsize: 1 });
    expect(result.bytes).toBe(2048);
    expect(await sha256File(path.join(out, 'exact'))).toBe(await sha256File(path.join(root, 'exact')));
  });

  it('rolls the block number over past 65,535 blocks', async () => {
    const result = await download('tiny-blocks', 'tiny-blocks', { blksize: 8, windowsize: 32 });
    expect(result.bytes).toBe(70_000 * 8 + 3);
    expect(await sha256File(path.join(out, 'tiny-blocks'))).toBe(await sha256File(path.join(root, 'tiny-blocks')));
  });

  it('answers a missing file with ERROR 1, read by the client as "No such file or directory"', async () => {
    await expect(download('/Wrong-Path/ap1g6', 'missing')).rejects.toMatchObject({ reason: 'No such file or directory', serverErrorCode: 1 });
    expect(fs.existsSync(path.join(out, 'missing'))).toBe(false);
  });

  it('keeps ../ inside root the way tftpd-hpa --secure does', async () => {
    const result = await download('EWC/../EWC/17_9_4a/ap1g8', 'dotdot-inside');
    expect(result.bytes).toBe(IMAGE_SIZE);
  });

  it('refuses paths that escape root, directly or through a symlink, with ERROR 2', async () => {
    await expect(download('../secret', 'escape')).rejects.toMatchObject({ reason: 'Permission denied', serverErrorCode: 2 });
    await expect(download('link-out', 'escape-link')).rejects.toMatchObject({ reason: 'Permission denied', serverErrorCode: 2 });
    expect(fs.existsSync(path.join(out, 'escape'))).toBe(false);
  });

  it('refuses write requests with ERROR 2', async () => {
    const socket = dgram.createSocket('udp4');
    try {
      const reply = new Promise<Buffer>((ok) => socket.once('message', ok));
      socket.send(encodeRequest(Opcode.WRQ, 'EWC/17_9_4a/ap1g8', 'octet'), server.port, server.host);
      expect(decodeError(await reply)).toEqual({ code: ErrorCode.ACCESS_VIOLATION, message: 'Access violation' });
    } finally {
      socket.close();
    }
    expect(await sha256File(path.join(root, 'EWC', '17_9_4a', 'ap1g8'))).toBe(imageSum);
  });
});
