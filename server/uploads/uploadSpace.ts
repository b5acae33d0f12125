import fs from 'node:fs';
import path from 'node:path';

/** One upload in the folder, as the tus file store left it: `<id>` (the bytes so far) beside `<id>.json` (what was declared). */
export interface HeldUpload {
  uploadId: string;
  /** Bytes on disk now. */
  bytes: number;
  /** The declared Upload-Length; null while it is deferred. */
  declared: number | null;
  /** When a byte was last written. */
  lastWriteMs: number;
  finished: boolean;
}

const INFO_SUFFIX = '.json';
const DESCRIBED_SUFFIX = '.image.json';

/** Every upload the folder holds, finished or not. */
export function heldUploads(dir: string): HeldUpload[] {
  const held: HeldUpload[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(INFO_SUFFIX) || name.endsWith(DESCRIBED_SUFFIX)) continue;
    const uploadId = name.slice(0, -INFO_SUFFIX.length);
    let info: { size?: unknown };
    let stat: fs.Stats;
    try {
      info = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { size?: unknown };
      stat = fs.statSync(path.join(dir, uploadId));
    } catch {
      continue;
    }
    const declared = typeof info.size === 'number' ? info.size : null;
    held.push({ uploadId, bytes: stat.size, declared, lastWriteMs: stat.mtimeMs, finished: declared !== null && stat.size >= declared });
  }
  return held;
}

/**
 * The space an upload may still take: a finished one its bytes, an unfinished one what it declared
 * (it may write all of it), or the size cap while its length is deferred.
 */
export function reservedBytes(upload: HeldUpload, maxBytes: number): number {
  if (upload.finished) return upload.bytes;
  return Math.max(upload.bytes, upload.declared ?? maxBytes);
}

/** Removes unfinished uploads nobody wrote to for `idleMs`; returns their ids. */
export function removeStaleUploads(dir: string, idleMs: number, now = Date.now()): string[] {
  const removed: string[] = [];
  for (const upload of heldUploads(dir)) {
    if (upload.finished || now - upload.lastWriteMs < idleMs) continue;
    for (const file of [upload.uploadId, `${upload.uploadId}${INFO_SUFFIX}`]) fs.rmSync(path.join(dir, file), { force: true });
    removed.push(upload.uploadId);
  }
  return removed;
}

export function formatBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}
