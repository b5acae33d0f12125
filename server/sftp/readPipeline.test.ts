import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadPipeline, type PipelineError, type ReadLane } from './readPipeline';

const work = mkdtempSync(join(tmpdir(), 'ewc-read-pipeline-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const remote = randomBytes(3 * 1024 * 1024 + 123);
const failure = (code: string, message = code): PipelineError => Object.assign(new Error(message), { code });

interface FakeLaneOptions {
  /** Answers with at most this many bytes per read, as a server may. */
  maxAnswer?: number;
  /** Connection drops after this many answered reads. */
  dropAfter?: number;
  /** Never answers. */
  silent?: boolean;
  /** Answers every read with this error. */
  error?: PipelineError;
}

function fakeLane(options: FakeLaneOptions = {}): ReadLane & { answered: number } {
  let drop: (error: PipelineError) => void = () => undefined;
  const broken = new Promise<never>((_, reject) => {
    drop = reject;
  });
  broken.catch(() => undefined);
  let dead = false;
  const lane = {
    answered: 0,
    broken,
    classify: (error: unknown) => error as PipelineError,
    abort: () => {
      dead = true;
    },
    lastActivity: () => 0,
    read: (buffer: Buffer, offset: number, length: number, position: number, done: (error: unknown, bytesRead: number) => void) => {
      if (options.silent) return;
      setImmediate(() => {
        if (dead) return;
        if (options.error) return done(options.error, 0);
        if (options.dropAfter !== undefined && lane.answered >= options.dropAfter) {
          dead = true;
          drop(failure('connection', 'Connection closed by remote host'));
          return;
        }
        lane.answered += 1;
        const bytes = Math.min(length, options.maxAnswer ?? length, Math.max(0, remote.length - position));
        remote.copy(buffer, offset, position, position + bytes);
        done(null, bytes);
      });
    },
  };
  return lane;
}

async function download(lanes: ReadLane[], { timeoutMs = 5_000, path = join(work, `out-${Math.random().toString(36).slice(2)}`), concurrency = 8, writes = [] as number[] } = {}): Promise<Buffer> {
  const local = await open(path, 'w');
  // Counts what each write hands to the file.
  const writev = local.writev.bind(local);
  local.writev = (buffers, position) => {
    writes.push(buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0));
    return writev(buffers, position);
  };
  try {
    const pipeline = new ReadPipeline({
      local,
      size: remote.length,
      from: 0,
      chunkSize: 64 * 1024,
      concurrency,
      timeoutMs,
      errors: { timeout: () => failure('timeout', 'Timed out'), cancelled: () => failure('cancelled', 'Cancelled'), io: (reason) => failure('io', reason) },
    });
    const running = pipeline.run(lanes[0]);
    for (const lane of lanes.slice(1)) pipeline.addLane(lane);
    await running;
  } finally {
    await local.close();
  }
  return readFileSync(path);
}

describe('ReadPipeline', () => {
  it('writes every byte in order over several connections', async () => {
    const lanes = [fakeLane(), fakeLane(), fakeLane()];
    expect((await download(lanes)).equals(remote)).toBe(true);
    expect(lanes.every((lane) => lane.answered > 0)).toBe(true);
  });

  it('writes a quarter of what is in flight at a time, not each read as it completes', async () => {
    const writes: number[] = [];
    expect((await download([fakeLane()], { concurrency: 16, writes })).equals(remote)).toBe(true);
    // 16 reads of 64 KiB in flight: 256 KiB per write, except the end of the file.
    expect(writes.slice(0, -1).every((bytes) => bytes >= 256 * 1024)).toBe(true);
    expect(writes.length).toBeLessThanOrEqual(Math.ceil(remote.length / (256 * 1024)) + 1);
  });

  it('asks again for the rest when the server answers short', async () => {
    expect((await download([fakeLane({ maxAnswer: 1000 })])).equals(remote)).toBe(true);
  });

  it('moves the reads of a dropped connection to the others', async () => {
    const lanes = [fakeLane({ dropAfter: 5 }), fakeLane()];
    expect((await download(lanes)).equals(remote)).toBe(true);
  });

  it('fails with the last connection, leaving an exact prefix to resume from', async () => {
    const path = join(work, 'partial');
    await expect(download([fakeLane({ dropAfter: 5 })], { path })).rejects.toMatchObject({ code: 'connection' });
    const partial = readFileSync(path);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.equals(remote.subarray(0, partial.length))).toBe(true);
  });

  it('retires a silent connection after the deadline and finishes on the others', async () => {
    const started = Date.now();
    expect((await download([fakeLane({ silent: true }), fakeLane()], { timeoutMs: 300 })).equals(remote)).toBe(true);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('times out when no connection answers', async () => {
    await expect(download([fakeLane({ silent: true })], { timeoutMs: 200 })).rejects.toMatchObject({ code: 'timeout' });
  });

  it('fails at once on an answer about the file itself', async () => {
    const lanes = [fakeLane({ error: failure('permission', 'Permission denied') }), fakeLane()];
    await expect(download(lanes)).rejects.toMatchObject({ code: 'permission' });
  });
});
