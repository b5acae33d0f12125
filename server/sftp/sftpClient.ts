import { open as openLocal, stat as statLocal, type FileHandle } from 'node:fs/promises';
import { connect as netConnect } from 'node:net';
import { Client, type ConnectConfig } from 'ssh2';
import { fingerprintOf } from './hostKey';
import { ReadPipeline, type ReadLane } from './readPipeline';
import { SftpChannel, type RemoteAttributes } from './sftpChannel';

export interface SftpCredentials {
  username: string;
  password?: string;
  privateKey?: string | Buffer;
  passphrase?: string;
}

export interface SftpDownloadOptions {
  host: string;
  port: number;
  credentials: SftpCredentials;
  /** Relative to the login directory, or absolute. */
  remotePath: string;
  /** The local file the remote file is streamed into. */
  destination: string;
  /** The pinned host key `SHA256:…`; null accepts the key unless `onHostKey` refuses it. */
  expectedFingerprint: string | null;
  /** Asked when no fingerprint is pinned (trust on first use is the caller's decision); false refuses. */
  onHostKey?: (fingerprint: string) => boolean;
  /** Deadline of the connection and handshake, and of each SFTP operation. Default 15000. */
  timeoutMs?: number;
  /** Default true: when the destination already holds N bytes, fetch only from N on. */
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
  /** Bytes that an earlier attempt had already written and that were not fetched again. */
  resumedFrom: number;
}

export type SftpErrorCode = 'not-found' | 'permission' | 'auth' | 'timeout' | 'host-key' | 'refused' | 'cancelled' | 'connection' | 'io';

const RETRYABLE: Record<SftpErrorCode, boolean> = {
  'not-found': false,
  permission: false,
  auth: false,
  timeout: true,
  'host-key': false,
  refused: true,
  cancelled: false,
  connection: true,
  io: false,
};

/** A failed download; `reason` is the tail of the controller's syslog line and never holds a secret. */
export class SftpError extends Error {
  readonly reason: string;
  readonly code: SftpErrorCode;
  readonly retryable: boolean;

  constructor(code: SftpErrorCode, reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'SftpError';
    this.reason = reason;
    this.code = code;
    this.retryable = RETRYABLE[code];
  }
}

/** `sftp://*****@HOST/PATH`, the controller's syslog form: the user is always masked. */
export function maskedSftpUrl(host: string, remotePath: string): string {
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `sftp://*****@${hostPart}/${remotePath.replace(/^\/+/, '')}`;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_CONCURRENCY = 64;
const DEFAULT_CHUNK_SIZE = 261_120;
const DEFAULT_CONNECTIONS = 1;
/** Below this, a second handshake costs more than it saves. */
const STRIPE_MIN_BYTES = 16 * 1024 * 1024;
// SFTP status codes (draft-ietf-secsh-filexfer-02 §7).
const STATUS_NO_SUCH_FILE = 2;
const STATUS_PERMISSION_DENIED = 3;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;

const timedOut = () => new SftpError('timeout', 'Timed out');
const cancelled = () => new SftpError('cancelled', 'Cancelled');

export async function sftpDownload(options: SftpDownloadOptions): Promise<SftpDownloadResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (options.signal?.aborted) throw cancelled();
  const primary = await openSession(options, options.expectedFingerprint, options.onHostKey, timeoutMs);
  const sessions = [primary];
  let finished = false;
  let local: FileHandle | null = null;
  try {
    const { sftp } = primary;
    const handle = await request<Buffer>(primary, timeoutMs, (done) => sftp.open(options.remotePath, done));
    const attrs = await request<RemoteAttributes>(primary, timeoutMs, (done) => sftp.fstat(handle, done));
    if ((attrs.mode & S_IFMT) === S_IFDIR) throw new SftpError('io', 'Is a directory');
    const size = attrs.size;
    const existing = options.resume === false ? 0 : await localSize(options.destination);
    // A longer local file is not a prefix of this remote file: start over.
    const resumedFrom = existing <= size ? existing : 0;
    local = await openLocal(options.destination, resumedFrom > 0 ? 'r+' : 'w').catch((error: unknown) => {
      throw new SftpError('io', `Cannot write the destination file (${(error as NodeJS.ErrnoException).code ?? 'I/O error'})`);
    });
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
        void openExtraLane(options, primary.fingerprint, timeoutMs).then((lane) => {
          if (!lane) return;
          if (finished || !pipeline.addLane(lane.lane)) lane.session.close();
          else sessions.push(lane.session);
        });
      }
    }
    await running;
    await local.truncate(size);
    // Every byte is on disk by now: a failed close costs the server a handle, not us the file.
    await request<void>(primary, timeoutMs, (done) => sftp.close(handle, done)).catch(() => undefined);
    return { bytes: size, resumedFrom, elapsedMs: Math.round(performance.now() - started), fingerprint: primary.fingerprint };
  } finally {
    finished = true;
    await local?.close().catch(() => undefined);
    for (const session of sessions) session.close();
  }
}

/** Another connection to the same server (its host key pinned to the first one's), or null if it fails. */
async function openExtraLane(options: SftpDownloadOptions, fingerprint: string, timeoutMs: number): Promise<{ session: Session; lane: ReadLane } | null> {
  let session: Session | null = null;
  try {
    session = await openSession(options, fingerprint, undefined, timeoutMs);
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
    read: (buffer, offset, length, position, done) => {
      session.batchWrites();
      session.sftp.read(handle, buffer, offset, length, position, done);
    },
    broken: session.broken,
    classify: (error) => classifySftpError(error, session),
    abort: () => session.abort(),
    lastActivity: () => session.sftp.lastActivity,
  };
}

interface Session {
  sftp: SftpChannel;
  fingerprint: string;
  /** Set once the SSH connection failed or closed: a better reason than the SFTP layer's "channel closed". */
  lostWith(): SftpError | null;
  /** Rejects when the connection drops or the signal fires, so that a stalled operation ends at once. */
  broken: Promise<never>;
  close(): void;
  abort(): void;
  /** Holds this tick's outgoing packets back and sends them in one system call. */
  batchWrites(): void;
}

function openSession(
  options: SftpDownloadOptions,
  expectedFingerprint: string | null,
  onHostKey: ((fingerprint: string) => boolean) | undefined,
  timeoutMs: number,
): Promise<Session> {
  const { host, port, credentials, signal } = options;
  return new Promise<Session>((resolve, reject) => {
    const client = new Client();
    const socket = netConnect({ host, port });
    // ssh2 writes many small packets; with Nagle's algorithm each waits for the previous ACK.
    socket.setNoDelay(true);
    let fingerprint = '';
    let hostKeyError: SftpError | null = null;
    let lost: SftpError | null = null;
    let ready = false;
    let corked = false;
    let onBroken: (error: SftpError) => void = () => undefined;
    const broken = new Promise<never>((_, rejectBroken) => {
      onBroken = rejectBroken;
    });
    broken.catch(() => undefined);

    // ssh2 writes each packet with its own system call, and on loopback each such call also runs the
    // server's receive path; a burst of read requests or window adjustments goes out as one write instead.
    const batchWrites = () => {
      if (corked) return;
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    };
    // Runs before ssh2's own handler, so whatever it answers to this chunk leaves in one write.
    socket.prependListener('data', batchWrites);

    const fail = (error: SftpError) => {
      if (!lost) lost = error;
      if (ready) {
        onBroken(lost);
        return;
      }
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      client.end();
      socket.destroy();
      reject(lost);
    };
    const onAbort = () => {
      fail(cancelled());
      socket.destroy();
    };
    const timer = setTimeout(() => fail(timedOut()), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    // Attached for the whole life of the client: an unhandled 'error' event would crash the process.
    client.on('error', (error) => fail(hostKeyError ?? classifyConnectionError(error)));
    client.on('close', () => fail(hostKeyError ?? new SftpError('connection', 'Connection closed by remote host')));
    client.on('ready', () => {
      client.subsys('sftp', (error, stream) => {
        if (error) return fail(new SftpError('connection', 'SFTP subsystem unavailable', { cause: scrub(error) }));
        SftpChannel.start(stream).then(
          (sftp) => {
            if (lost) return;
            ready = true;
            clearTimeout(timer);
            resolve({
              sftp,
              fingerprint,
              lostWith: () => lost,
              broken,
              close: () => {
                signal?.removeEventListener('abort', onAbort);
                client.end();
              },
              abort: () => {
                signal?.removeEventListener('abort', onAbort);
                socket.destroy();
              },
              batchWrites,
            });
          },
          (startError: unknown) => fail(new SftpError('connection', 'SFTP subsystem unavailable', { cause: scrub(startError) })),
        );
      });
    });

    const verifyHostKey = (key: Buffer): boolean => {
      fingerprint = fingerprintOf(key);
      if (expectedFingerprint !== null) {
        if (fingerprint === expectedFingerprint) return true;
        hostKeyError = new SftpError('host-key', `Host key changed: expected ${expectedFingerprint}, got ${fingerprint}`);
        return false;
      }
      if (onHostKey && !onHostKey(fingerprint)) {
        hostKeyError = new SftpError('host-key', `Host key not trusted: ${fingerprint}`);
        return false;
      }
      return true;
    };
    const config: ConnectConfig = {
      sock: socket,
      username: credentials.username,
      password: credentials.password,
      privateKey: credentials.privateKey,
      passphrase: credentials.passphrase,
      tryKeyboard: false,
      hostVerifier: verifyHostKey,
      // Our own timer covers connect, handshake, authentication and the subsystem start as one deadline.
      readyTimeout: 0,
      // A server that vanishes without a FIN would otherwise leave every request waiting forever.
      keepaliveInterval: Math.max(1_000, Math.min(10_000, Math.floor(timeoutMs / 3))),
      keepaliveCountMax: 3,
    };
    try {
      client.connect(config);
    } catch (error) {
      // ssh2 throws synchronously for an unreadable key or a wrong passphrase.
      fail(new SftpError('auth', 'Authentication failed', { cause: scrub(error) }));
    }
  });
}

function classifyConnectionError(error: Error & { level?: string; code?: string }): SftpError {
  const cause = { cause: scrub(error) };
  if (error.level === 'client-authentication') return new SftpError('auth', 'Authentication failed', cause);
  if (error.level === 'client-timeout' || error.code === 'ETIMEDOUT' || /keepalive timeout/i.test(error.message)) {
    return new SftpError('timeout', 'Timed out', cause);
  }
  switch (error.code) {
    case 'ECONNREFUSED':
      return new SftpError('refused', 'Connection refused', cause);
    case 'ECONNRESET':
    case 'EPIPE':
      return new SftpError('connection', 'Connection reset by peer', cause);
    case 'EHOSTUNREACH':
      return new SftpError('connection', 'No route to host', cause);
    case 'ENETUNREACH':
      return new SftpError('connection', 'Network is unreachable', cause);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SftpError('connection', 'Could not resolve host', cause);
    default:
      return new SftpError('connection', 'Connection closed by remote host', cause);
  }
}

/** A copy with only name and message: ssh2 errors carry no secrets, but nothing else should ride along. */
function scrub(error: unknown): Error {
  return error instanceof Error ? Object.assign(new Error(error.message), { name: error.name }) : new Error(String(error));
}

function classifySftpError(error: unknown, session: Session): SftpError {
  if (error instanceof SftpError) return error;
  const lost = session.lostWith();
  if (lost) return lost;
  const status = (error as { code?: unknown }).code;
  if (status === STATUS_NO_SUCH_FILE) return new SftpError('not-found', 'No such file or directory');
  if (status === STATUS_PERMISSION_DENIED) return new SftpError('permission', 'Permission denied');
  // Without a status code, the request failed because the channel closed under it.
  if (typeof status !== 'number') return new SftpError('connection', 'Connection closed by remote host', { cause: scrub(error) });
  return new SftpError('io', (error as Error).message || 'Failure', { cause: scrub(error) });
}

/** Runs one SFTP request with its own deadline: ssh2 waits forever for a server that stays silent. */
function request<T>(session: Session, timeoutMs: number, start: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timedOut()), timeoutMs);
    session.broken.catch((error: unknown) => {
      clearTimeout(timer);
      reject(error);
    });
    try {
      start((error, value) => {
        clearTimeout(timer);
        if (error) reject(classifySftpError(error, session));
        else resolve(value as T);
      });
    } catch (error) {
      clearTimeout(timer);
      reject(classifySftpError(error, session));
    }
  });
}

async function localSize(path: string): Promise<number> {
  try {
    const info = await statLocal(path);
    return info.isFile() ? info.size : 0;
  } catch {
    return 0;
  }
}
