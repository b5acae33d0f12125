import type { FileHandle } from 'node:fs/promises';
import type { HostKeyType } from '../../lib/hostKeyType';
import { completePartial, discardPartial, openPartial } from './partialDownload';
import { openPinnedSession } from './pinnedSession';
import { ReadPipeline, type ReadLane } from './readPipeline';
import type { RemoteAttributes } from './sftpChannel';
import { cancelled, SftpError, timedOut } from './sftpError';
import { classifySftpError, openSession, request, type HostKeyPin, type Session, type SftpCredentials } from './sftpSession';
import { bracketHost, hostPort } from '../../lib/netAddress';

export { SftpError, type SftpErrorCode } from './sftpError';
export type { SftpCredentials } from './sftpSession';

export interface SftpDownloadOptions {
  host: string;
  port: number;
  credentials: SftpCredentials;
  /** Relative to the login directory, or absolute. */
  remotePath: string;
  /** Where the file ends up once complete and checked; until then it grows in `destination.part`. */
  destination: string;
  /** The pinned host key `SHA256:…`; null accepts the key unless `onHostKey` refuses it. */
  expectedFingerprint: string | null;
  /** The pinned key's type, asked for first; null (a pasted fingerprint) tries each key the server has. */
  expectedKeyType?: HostKeyType | null;
  /** Hex SHA-256 of the remote file where known: a complete download that differs is discarded. */
  expectedSha256?: string;
  /** Asked when no fingerprint is pinned (trust on first use is the caller's decision); false refuses. */
  onHostKey?: (fingerprint: string) => boolean;
  /** Deadline of the connection and handshake, and of each SFTP operation. Default 15000. */
  timeoutMs?: number;
  /**
   * Default false. True continues `destination.part` when this client wrote it for this same source,
   * and the remote file still has the size and modification time it had then; otherwise it starts over.
   */
  resume?: boolean;
  /** Outstanding read requests. Default 64. */
  concurrency?: number;
  /** Bytes per read request, clamped to the server's limit. Default 261120 (OpenSSH's limit). */
  chunkSize?: number;
  signal?: AbortSignal;
  /** Bytes in the destination so far and the remote size; at most ~10 times a second, plus once at the end. */
  onProgress?: (bytesWritten: number, totalBytes: number) => void;
  /**
   * SSH connections that share the reads of a file of 16 MiB or more, default 1. More help where one
   * connection is capped by its 2 MiB SSH window over a long round trip, or by one busy server process;
   * on a loaded 2-core loopback they cost more CPU than they save. The extra connections open only once
   * the first has authenticated and opened the file, pin its host key, and are dropped (their reads
   * moved to the others) if they fail.
   */
  connections?: number;
}

export interface SftpDownloadResult {
  /** Size of the destination file once complete, bytes of an earlier attempt included. */
  bytes: number;
  elapsedMs: number;
  fingerprint: string;
  /** The type of the server's key that matched, e.g. `ssh-rsa`: worth storing with the fingerprint. */
  keyType: HostKeyType | null;
  /** Bytes that an earlier attempt had already written and that were not fetched again. */
  resumedFrom: number;
  /** Why a resume that was asked for started from zero, or null. */
  restartReason: string | null;
}

/** `sftp://*****@HOST/PATH`, the controller's syslog form: the user is always masked. */
export function maskedSftpUrl(host: string, remotePath: string): string {
  return `sftp://*****@${bracketHost(host)}/${remotePath.replace(/^\/+/, '')}`;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_CONCURRENCY = 64;
const DEFAULT_CHUNK_SIZE = 261_120;
const DEFAULT_CONNECTIONS = 1;
/** Below this, a second handshake costs more than it saves. */
const STRIPE_MIN_BYTES = 16 * 1024 * 1024;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;

export async function sftpDownload(options: SftpDownloadOptions): Promise<SftpDownloadResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (options.signal?.aborted) throw cancelled();
  const pin: HostKeyPin = { fingerprint: options.expectedFingerprint, keyType: options.expectedKeyType ?? null, onHostKey: options.onHostKey };
  const primary = await openPinnedSession(options, pin, timeoutMs);
  const sessions = [primary];
  let finished = false;
  let local: FileHandle | null = null;
  try {
    const { sftp } = primary;
    const handle = await request<Buffer>(primary, timeoutMs, (done) => sftp.open(options.remotePath, done));
    const attrs = await request<RemoteAttributes>(primary, timeoutMs, (done) => sftp.fstat(handle, done));
    if ((attrs.mode & S_IFMT) === S_IFDIR) throw new SftpError('io', 'Is a directory');
    const size = attrs.size;
    const partial = await openPartial(options.destination, { source: sourceUrl(options), size, mtime: attrs.mtime }, options.resume === true);
    local = partial.local;
    const resumedFrom = partial.from;
    // Where the transfer starts, before any byte moves: a resumed file's bytes were fetched by an earlier attempt.
    options.onProgress?.(resumedFrom, size);
    const chunkSize = Math.max(1, Math.min(options.chunkSize ?? DEFAULT_CHUNK_SIZE, sftp.maxReadLength));
    const pipeline = new ReadPipeline({
      local,
      size,
      from: resumedFrom,
      chunkSize,
      concurrency: Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY),
      timeoutMs,
      signal: options.signal,
      onProgress: options.onProgress,
      errors: { timeout: timedOut, cancelled, io: (reason) => new SftpError('io', reason) },
    });
    const running = pipeline.run(laneOf(primary, handle));
    const extra = Math.max(1, options.connections ?? DEFAULT_CONNECTIONS) - 1;
    if (size - resumedFrom >= STRIPE_MIN_BYTES) {
      for (let i = 0; i < extra; i += 1) {
        void openExtraLane(options, primary, timeoutMs).then((lane) => {
          if (!lane) return;
          if (finished || !pipeline.addLane(lane.lane)) lane.session.close();
          else sessions.push(lane.session);
        });
      }
    }
    await running;
    await local.truncate(size);
    await local.close();
    local = null;
    const after = await request<RemoteAttributes>(primary, timeoutMs, (done) => sftp.fstat(handle, done));
    if (after.size !== size || after.mtime !== attrs.mtime) {
      // A mix of two versions: neither keep it nor let a resume build on it.
      await discardPartial(options.destination);
      throw new SftpError('io', 'File changed on the server during the download');
    }
    // Every byte is on disk by now: a failed close costs the server a handle, not us the file.
    await request<void>(primary, timeoutMs, (done) => sftp.close(handle, done)).catch(() => undefined);
    await completePartial(options.destination, size, options.expectedSha256);
    return {
      bytes: size,
      resumedFrom,
      restartReason: partial.restartReason,
      elapsedMs: Math.round(performance.now() - started),
      fingerprint: primary.fingerprint,
      keyType: primary.keyType,
    };
  } finally {
    finished = true;
    await local?.close().catch(() => undefined);
    for (const session of sessions) session.close();
  }
}

/** Another connection to the same server (its host key pinned to the first one's), or null if it fails. */
async function openExtraLane(options: SftpDownloadOptions, primary: Session, timeoutMs: number): Promise<{ session: Session; lane: ReadLane } | null> {
  let session: Session | null = null;
  try {
    // The same key type as the first connection, or a server with several keys would present another.
    session = await openSession(options, { fingerprint: primary.fingerprint, keyType: primary.keyType }, timeoutMs);
    const { sftp } = session;
    const handle = await request<Buffer>(session, timeoutMs, (done) => sftp.open(options.remotePath, done));
    return { session, lane: laneOf(session, handle) };
  } catch {
    session?.close();
    return null;
  }
}

function laneOf(session: Session, handle: Buffer): ReadLane {
  return {
    read: (buffer, offset, length, position, done) => session.sftp.read(handle, buffer, offset, length, position, done),
    broken: session.broken,
    classify: (error) => classifySftpError(error, session),
    abort: () => session.abort(),
    lastActivity: () => session.sftp.lastActivity,
  };
}

/** The source as the `.part` sidecar records it: who logged in where, and which file; never a secret. */
function sourceUrl({ host, port, credentials, remotePath }: SftpDownloadOptions): string {
  return `sftp://${encodeURIComponent(credentials.username)}@${hostPort(host, port)}/${remotePath}`;
}
