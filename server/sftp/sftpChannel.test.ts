import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ClientChannel } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { SftpChannel } from './sftpChannel';

// The SFTP channel at its seam with ssh2: what it writes into the SSH channel and what it makes of the
// bytes that come out. The whole path runs against OpenSSH in sftpClient.test.ts.

const FXP_VERSION = 2;
const FXP_READ = 5;
const FXP_DATA = 103;

class FakeChannel extends EventEmitter {
  readonly writes: Buffer[] = [];
  write(data: Buffer): boolean {
    this.writes.push(Buffer.from(data));
    return true;
  }
  destroy(): void {
    this.emit('close');
  }
}

function packet(type: number, ...fields: Buffer[]): Buffer {
  const body = Buffer.concat(fields);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length + 1, 0);
  head[4] = type;
  return Buffer.concat([head, body]);
}
const uint32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
};

/** The SFTP packets in what the channel wrote, as type and request id. */
function packetsIn(bytes: Buffer): { type: number; id: number }[] {
  const packets: { type: number; id: number }[] = [];
  for (let p = 0; p < bytes.length; p += 4 + bytes.readUInt32BE(p)) packets.push({ type: bytes[p + 4], id: bytes.readUInt32BE(p + 5) });
  return packets;
}

async function started(): Promise<{ sftp: SftpChannel; channel: FakeChannel }> {
  const channel = new FakeChannel();
  const starting = SftpChannel.start(channel as unknown as ClientChannel);
  channel.emit('data', packet(FXP_VERSION, uint32(3)));
  const sftp = await starting;
  channel.writes.length = 0;
  return { sftp, channel };
}

describe('SftpChannel', () => {
  it('sends the reads asked for in one tick as one write into the SSH channel (one SSH packet)', async () => {
    const { sftp, channel } = await started();
    const handle = Buffer.from('handle-1');
    const target = Buffer.alloc(261_120);
    for (let i = 0; i < 64; i += 1) sftp.read(handle, target, 0, target.length, i * target.length, () => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(channel.writes).toHaveLength(1);
    const packets = packetsIn(channel.writes[0]);
    expect(packets).toHaveLength(64);
    expect(packets.every((sent) => sent.type === FXP_READ)).toBe(true);
    expect(new Set(packets.map((sent) => sent.id)).size).toBe(64);
  });

  it('puts each DATA answer into its read, however the channel splits the bytes', async () => {
    const { sftp, channel } = await started();
    const handle = Buffer.from('handle-1');
    const answers = [randomBytes(70_000), randomBytes(5), randomBytes(32_768)];
    const received: (Buffer | null)[] = answers.map(() => null);
    answers.forEach((answer, i) => {
      const target = Buffer.alloc(answer.length + 10);
      sftp.read(handle, target, 10, answer.length, i * 100_000, (error, bytes) => {
        received[i] = error ? null : target.subarray(10, 10 + bytes);
      });
    });
    await new Promise((resolve) => setImmediate(resolve));
    const ids = packetsIn(Buffer.concat(channel.writes)).map((sent) => sent.id);
    const stream = Buffer.concat(answers.map((answer, i) => packet(FXP_DATA, uint32(ids[i]), uint32(answer.length), answer)));
    for (let p = 0; p < stream.length; p += 4093) channel.emit('data', stream.subarray(p, p + 4093));
    expect(received.map((bytes, i) => bytes?.equals(answers[i]))).toEqual([true, true, true]);
  });
});
