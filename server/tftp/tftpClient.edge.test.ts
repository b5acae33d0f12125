import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, Opcode, decodeError, decodeRequest, encodeError, encodeOack } from './packets';
import { TftpError, describeNegotiation, tftpDownload } from './tftpClient';

// Behaviours real servers do not show on demand, played by a scripted server on loopback.

interface FakeBehaviour {
  data: Buffer;
  /** Where the 16-bit block number goes after 65535. */
  rolloverTo?: 0 | 1;
  /** tsize to announce instead of the real size. */
  announceTsize?: number;
  /** Extra bytes appended to every DATA payload, beyond the negotiated blksize. */
  oversize?: number;
  /** Answer option requests with ERROR 8, as some servers do. */
  refuseOptions?: boolean;
  /** Blocks (counted without wrapping) whose first transmission is lost. */
  drop?: number[];
  /** A block whose first ACK is lost. */
  loseFirstAckOf?: number;
  /** Called once with the client's address after the first window was sent. */
  afterFirstWindow?: (client: dgram.RemoteInfo) => void;
}

interface FakeServer {
  port: number;
  requests: { options: Map<string, string> }[];
  errorsReceived: { code: number; message: string }[];
  dataSent: number;
  close(): Promise<void>;
}

const sockets = new Set<dgram.Socket>();

async function bound(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  sockets.add(socket);
  await new Promise<void>((ok) => socket.bind(0, '127.0.0.1', () => ok()));
  return socket;
}

function closeAll(): void {
  for (const socket of sockets) socket.close();
  sockets.clear();
}

async function startFake(behaviour: FakeBehaviour): Promise<FakeServer> {
  const listener = await bound();
  const server: FakeServer = { port: listener.address().port, requests: [], errorsReceived: [], dataSent: 0, close: async () => closeAll() };
  listener.on('message', async (msg, client) => {
    const request = decodeRequest(msg);
    server.requests.push({ options: request.options });
    const socket = await bound();
    const send = (packet: Buffer) => socket.send(packet, client.port, client.address);
    if (behaviour.refuseOptions && request.options.size > 0) {
      send(encodeError(ErrorCode.OPTION_REFUSED, 'Options not supported'));
      return;
    }
    const blksize = Number(request.options.get('blksize') ?? 512);
    const windowsize = Number(request.options.get('windowsize') ?? 1);
    const lastBlock = Math.floor(behaviour.data.length / blksize) + 1;
    const wire = (n: number) => (behaviour.rolloverTo === 1 && n > 0xffff ? ((n - 0x10000) % 0xffff) + 1 : n & 0xffff);
    let acked = 0;
    let sentWindows = 0;
    const toDrop = new Set(behaviour.drop);
    let ackToLose = behaviour.loseFirstAckOf;
    const sendWindow = () => {
      for (let n = acked + 1; n <= Math.min(acked + windowsize, lastBlock); n++) {
        if (toDrop.delete(n)) continue;
        server.dataSent++;
        const payload = behaviour.data.subarray((n - 1) * blksize, n * blksize);
        const packet = Buffer.alloc(4 + payload.length + (behaviour.oversize ?? 0));
        packet.writeUInt16BE(Opcode.DATA, 0);
        packet.writeUInt16BE(wire(n), 2);
        payload.copy(packet, 4);
        send(packet);
      }
      if (++sentWindows === 1) behaviour.afterFirstWindow?.(client);
    };
    socket.on('message', (reply) => {
      const opcode = reply.readUInt16BE(0);
      if (opcode === Opcode.ERROR) {
        server.errorsReceived.push(decodeError(reply));
        return;
      }
      const block16 = reply.readUInt16BE(2);
      // RFC 7440 sender: an ACK anywhere in the window (even of the block before it) restarts
      // sending right after the acknowledged block.
      for (let n = acked; n <= Math.min(acked + windowsize, lastBlock); n++) {
        if (wire(n) !== block16) continue;
        if (n === ackToLose) {
          ackToLose = undefined;
          return;
        }
        acked = n;
        if (acked < lastBlock) sendWindow();
        return;
      }
    });
    if (request.options.size === 0) {
      sendWindow();
      return;
    }
    const oack: [string, string][] = [['blksize', String(blksize)]];
    if (request.options.has('windowsize')) oack.push(['windowsize', String(windowsize)]);
    if (request.options.has('tsize')) oack.push(['tsize', String(behaviour.announceTsize ?? behaviour.data.length)]);
    send(encodeOack(oack));
  });
  return server;
}

let out: string;
beforeAll(async () => {
  out = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tftp-edge-'));
});
afterEach(() => closeAll());
afterAll(async () => {
  await fs.promises.rm(out, { recursive: true, force: true });
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const pattern = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7919 + (i >> 11)) & 0xff));

async function expectFailure(promise: Promise<unknown>): Promise<TftpError> {
  const error = await promise.then(
    () => expect.unreachable('download should have failed'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TftpError);
  return error as TftpError;
}

describe('tftpDownload edge cases', () => {
  it('recovers lost blocks in a window with one re-ACK each, without making the server resend twice', async () => {
    const data = pattern(1468 * 400 + 17);
    // A block mid-window, the first and the last of a window.
    const fake = await startFake({ data, drop: [5, 17, 48, 200] });
    const destination = path.join(out, 'lossy');
    const result = await tftpDownload({ host: '127.0.0.1', port: fake.port, remotePath: 'f', destination, windowsize: 16, timeoutMs: 300 });
    expect(result.negotiated.windowsize).toBe(16);
    expect(sha256(await fs.promises.readFile(destination))).toBe(sha256(data));
    // Each loss costs at most the rest of its window once more; a client that answered every
    // out-of-order block would make the server repeat windows many times over.
    expect(fake.dataSent).toBeLessThanOrEqual(401 + 4 * 16);
  });

  it('re-acknowledges after a timeout when its ACK is lost', async () => {
    const data = pattern(1468 * 100);
    const fake = await startFake({ data, loseFirstAckOf: 32 });
    const destination = path.join(out, 'lost-ack');
    const result = await tftpDownload({ host: '127.0.0.1', port: fake.port, remotePath: 'f', destination, timeoutMs: 200, retries: 2 });
    expect(sha256(await fs.promises.readFile(destination))).toBe(sha256(data));
    expect(result.elapsedMs).toBeGreaterThanOrEqual(190);
  });

  it('accepts a server that wraps block numbers 65535 -> 1', async () => {
    const data = pattern(70_000 * 8 + 5);
    const fake = await startFake({ data, rolloverTo: 1 });
    const destination = path.join(out, 'wrap1');
    const result = await tftpDownload({ host: '127.0.0.1', port: fake.port, remotePath: 'f', destination, blksize: 8, windowsize: 64 });
    expect(result.bytes).toBe(data.length);
    expect(sha256(await fs.promises.readFile(destination))).toBe(sha256(data));
  });

  it('answers a stranger with ERROR 5 and completes the transfer untouched', async () => {
    const data = pattern(512 * 40 + 99);
    const intruder = await bound();
    const intruderGot: Buffer[] = [];
    intruder.on('message', (msg) => intruderGot.push(msg));
    const fake = await startFake({
      data,
      // A forged block 2 from another port would corrupt the file if it were accepted.
      afterFirstWindow: (client) => {
        const forged = Buffer.alloc(4 + 512, 0xee);
        forged.writeUInt16BE(Opcode.DATA, 0);
        forged.writeUInt16BE(2, 2);
        intruder.send(forged, client.port, client.address);
      },
    });
    const destination = path.join(out, 'intruded');
    await tftpDownload({ host: '127.0.0.1', port: fake.port, remotePath: 'f', destination, blksize: 512, windowsize: 1 });
    expect(sha256(await fs.promises.readFile(destination))).toBe(sha256(data));
    await expect.poll(() => intruderGot.length).toBe(1);
    expect(decodeError(intruderGot[0]!)).toEqual({ code: ErrorCode.UNKNOWN_TID, message: 'Unknown transfer ID' });
  });

  it('retries without options when the server answers ERROR 8', async () => {
    const data = pattern(2000);
    const fake = await startFake({ data, refuseOptions: true });
    const destination = path.join(out, 'refused');
    const result = await tftpDownload({ host: '127.0.0.1', port: fake.port, remotePath: 'f', destination });
    expect(result.negotiated).toEqual({ blksize: 512, windowsize: 1, tsize: null, timeoutSeconds: null, optionsAccepted: false });
    expect(fake.requests.map((r) => r.options.size > 0)).toEqual([true, false]);
    expect(sha256(await fs.promises.readFile(destination))).toBe(sha256(data));
  });

  it('rejects a DATA payload larger than the negotiated blksize and removes the partial file', async () => {
    const fake = await startFake({ data: pattern(5000), oversize: 10 });
    const destination = path.join(out, 'oversize');
    const error = await expectFailure(tftpDownload({ host: '127.0.0.1', port: fake.port, remotePath: 'f', destination, blksize: 512 }));
    expect(error.code).toBe('protocol');
    expect(error.reason).toBe('Protocol error: DATA block of 522 bytes exceeds the negotiated blksize 512');
    expect(fs.existsSync(destination)).toBe(false);
    await expect.poll(() => fake.errorsReceived.map((e) => e.code)).toEqual([ErrorCode.ILLEGAL_OPERATION]);
  });

  it('refuses an announced tsize above maxTsize before any data arrives', async () => {
    const fake = await startFake({ data: pattern(5000), announceTsize: 10_000_000 });
    const destination = path.join(out, 'huge');
    const error = await expectFailure(tftpDownload({ host: '127.0.0.1', port: fake.port, remotePath: 'f', destination, maxTsize: 1_000_000 }));
    expect(error.reason).toBe('Protocol error: announced tsize 10000000 exceeds the limit of 1000000 bytes');
    expect(fs.existsSync(destination)).toBe(false);
    await expect.poll(() => fake.errorsReceived.map((e) => e.code)).toEqual([ErrorCode.OPTION_REFUSED]);
  });

  it('stops when the server sends more bytes than the tsize it announced', async () => {
    const fake = await startFake({ data: pattern(50_000), announceTsize: 20_000 });
    const destination = path.join(out, 'overrun');
    const error = await expectFailure(tftpDownload({ host: '127.0.0.1', port: fake.port, remotePath: 'f', destination, blksize: 1024 }));
    expect(error.reason).toBe('Protocol error: received more than the announced tsize of 20000 bytes');
    expect(fs.existsSync(destination)).toBe(false);
  });
});

describe('describeNegotiation', () => {
  it('reads like the console shows it', () => {
    expect(describeNegotiation({ blksize: 1468, windowsize: 16, tsize: 70_512_640, timeoutSeconds: 1, optionsAccepted: true })).toBe('blksize 1468, windowsize 16, tsize 70512640');
    expect(describeNegotiation({ blksize: 512, windowsize: 1, tsize: null, timeoutSeconds: null, optionsAccepted: false })).toBe('blksize 512, windowsize 1 (server accepted no options)');
  });
});
