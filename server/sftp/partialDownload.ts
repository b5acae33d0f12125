import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { SftpError } from './sftpError';

/**
 * A download lands in `DEST.part`, described by `DEST.part.json` (written before the first byte), and is
 * renamed to DEST only once complete and checked. So DEST is never a half-written file, and a resume
 * continues only bytes this client fetched from the same source while it still has the same size and
 * modification time: any other file at DEST, or a `.part` without a matching sidecar, starts over.
 */
export interface RemoteFile {
  /** The source as a URL without secrets, `sftp://user@host:port/path`. */
  source: string;
  size: number;
  /** Seconds since the epoch; a file without one is never resumed. */
  mtime: number | null;
}

const sidecarSchema = z.object({ source: z.string(), size: z.number().int().nonnegative(), mtime: z.number().int().nullable() });

export const partPathOf = (destination: string) => `${destination}.part`;
export const sidecarPathOf = (destination: string) => `${destination}.part.json`;

export interface OpenedPartial {
  local: FileHandle;
  /** Bytes already in the `.part` file that need not be fetched again. */
  from: number;
  /** Why a resume that was asked for starts from zero instead, or null. */
  restartReason: string | null;
}

const cannotWrite = (error: unknown) => new SftpError('io', `Cannot write the destination file (${(error as NodeJS.ErrnoException).code ?? 'I/O error'})`);

export async function openPartial(destination: string, remote: RemoteFile, resume: boolean): Promise<OpenedPartial> {
  const part = partPathOf(destination);
  const verdict = resume ? await resumableBytes(destination, remote) : { from: 0, restartReason: null };
  try {
    if (verdict.from > 0) return { local: await open(part, 'r+'), ...verdict };
    // The old sidecar goes first: a crash before the new one is written leaves nothing that claims to resume.
    await rm(sidecarPathOf(destination), { force: true });
    const local = await open(part, 'w');
    await writeFile(sidecarPathOf(destination), `${JSON.stringify(remote)}\n`).catch(async (error: unknown) => {
      await local.close();
      throw error;
    });
    return { local, ...verdict };
  } catch (error) {
    throw cannotWrite(error);
  }
}

async function resumableBytes(destination: string, remote: RemoteFile): Promise<{ from: number; restartReason: string | null }> {
  const partSize = await stat(partPathOf(destination)).then(
    (info) => (info.isFile() ? info.size : null),
    () => null,
  );
  if (partSize === null) return { from: 0, restartReason: null };
  const sidecar = await readFile(sidecarPathOf(destination), 'utf8').then(
    (text) => sidecarSchema.safeParse(safeJson(text)),
    () => null,
  );
  if (!sidecar?.success || sidecar.data.source !== remote.source) {
    return { from: 0, restartReason: `${basename(partPathOf(destination))} was not written by this client for this file` };
  }
  if (remote.mtime === null || sidecar.data.size !== remote.size || sidecar.data.mtime !== remote.mtime || partSize > remote.size) {
    return { from: 0, restartReason: 'the remote file changed since the interrupted download' };
  }
  return { from: partSize, restartReason: null };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Checks the complete `.part` (size, and SHA-256 when known) and moves it to the destination. */
export async function completePartial(destination: string, size: number, expectedSha256: string | undefined): Promise<void> {
  const part = partPathOf(destination);
  const actual = (await stat(part)).size;
  if (actual !== size) throw new SftpError('io', `Short file: ${actual} of ${size} bytes`);
  if (expectedSha256) {
    const hash = createHash('sha256');
    await pipeline(createReadStream(part), hash);
    const digest = hash.digest('hex');
    if (digest !== expectedSha256.toLowerCase()) {
      await discardPartial(destination);
      throw new SftpError('io', `SHA-256 mismatch: expected ${expectedSha256.toLowerCase()}, got ${digest}`);
    }
  }
  try {
    await rename(part, destination);
  } catch (error) {
    throw cannotWrite(error);
  }
  await rm(sidecarPathOf(destination), { force: true });
}

/** Removes a `.part` that must never be resumed (the source changed under it, or its digest is wrong). */
export async function discardPartial(destination: string): Promise<void> {
  await rm(sidecarPathOf(destination), { force: true });
  await rm(partPathOf(destination), { force: true });
}
