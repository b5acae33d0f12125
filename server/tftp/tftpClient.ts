import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import fs from 'node:fs';
import { isIP } from 'node:net';
import {
  DATA_HEADER_BYTES,
  DEFAULT_BLKSIZE,
  ErrorCode,
  MAX_BLKSIZE,
  MAX_WINDOWSIZE,
  MIN_BLKSIZE,
  MalformedPacketError,
  Opcode,
  decodeError,
  decodeOack,
  encodeAck,
  encodeError,
  encodeRequest,
  type TftpOptions,
} from './packets';

export interface TftpDownloadOptions {
  host: string;
  port: number;
  remotePath: string;
  /** File path to stream into; the partial file is removed on failure. */
  destination: string;
  /** Default 1468 (RFC 2348), 8..65464. */
  blksize?: number;
  /** Default 16 (RFC 7440); 1 disables the option request. */
  windowsize?: number;
  /** Per-packet retransmission timeout, default 1000; also sent as `timeout` option (seconds, rounded up, 1..255). */
  timeoutMs?: number;
  /** Retransmissions before giving up with `Timed out`, default 5. */
  retries?: number;
  /** Default true; false sends a plain RFC 1350 RRQ. */
  requestOptions?: boolean;
  /** Sanity limit on announced tsize, default 4 GiB. */
  maxTsize?: number;
  /** Abort => reject with TftpError reason 'Cancelled', partial file removed, ERROR sent to server. */
  signal?: AbortSignal;
  /** Called at most ~10 times/s plus once at the end. */
  onProgress?: (bytesWritten: number, totalBytes: number | null) => void;
}

export interface TftpNegotiated {
  blksize: number;
  windowsize: number;
  tsize: number | null;
  timeoutSeconds: number | null;
  optionsAccepted: boolean;
}

export interface TftpDownloadResult {
  bytes: number;
  elapsedMs: number;
  negotiated: TftpNegotiated;
}

export type TftpErrorCode = 'not-found' | 'access' | 'timeout' | 'cancelled' | 'protocol' | 'server' | 'io';

/** `reason` is the tail of the controller's syslog line: `Failed to download file ${url}: ${reason}`. */
export class TftpError extends Error {
  readonly reason: string;
  readonly code: TftpErrorCode;
  /** The ERROR packet's code when the server ended the transfer. */
  readonly serverErrorCode: number | null;

  constructor(code: TftpErrorCode, reason: string, serverErrorCode: number | null = null, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'TftpError';
    this.code = code;
    this.reason = reason;
    this.serverErrorCode = serverErrorCode;
  }
}

export function describeNegotiation(n: TftpNegotiated): string {
  const parts = [`blksize ${n.blksize}`, `windowsize ${n.windowsize}`];
  if (n.tsize !== null) parts.push(`tsize ${n.tsize}`);
  const text = parts.join(', ');
  return n.optionsAccepted ? text : `${text} (server accepted no options)`;
}

export async function tftpDownload(options: TftpDownloadOptions): Promise<TftpDownloadResult> {
  const settings = validate(options);
  const started = performance.now();
  if (options.signal?.aborted) throw cancelled();
  const server = await resolve(options.host);
  let fd: number;
  try {
    fd = await new Promise<number>((ok, ko) => fs.open(options.destination, 'w', (e, n) => (e ? ko(e) : ok(n))));
  } catch (e) {
    throw ioError(e);
  }
  try {
    let outcome: Outcome;
    try {
      outcome = await new Transfer(settings, server, fd).run(settings.requestOptions);
    } catch (e) {
      // ERROR 8 on the RRQ means the server refuses our options; RFC 2347 lets us ask again without them.
      if (!(e instanceof OptionsRefused)) throw e;
      outcome = await new Transfer(settings, server, fd).run(false);
    }
    await closeFd(fd);
    return { bytes: outcome.bytes, elapsedMs: performance.now() - started, negotiated: outcome.negotiated };
  } catch (e) {
    await closeFd(fd).catch(() => undefined);
    await fs.promises.rm(options.destination, { force: true });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------

interface Settings {
  remotePath: string;
  port: number;
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  retries: number;
  requestOptions: boolean;
  maxTsize: number;
  signal: AbortSignal | undefined;
  onProgress: TftpDownloadOptions['onProgress'];
}

interface Endpoint {
  address: string;
  family: 4 | 6;
}

interface Outcome {
  negotiated: TftpNegotiated;
  bytes: number;
}

class OptionsRefused extends Error {}

const DEFAULTS = { blksize: 1468, windowsize: 16, timeoutMs: 1000, retries: 5, maxTsize: 4 * 1024 ** 3 };
const PROGRESS_INTERVAL_MS = 100;
const CHUNK_BYTES = 1024 * 1024;

function validate(o: TftpDownloadOptions): Settings {
  const blksize = o.blksize ?? DEFAULTS.blksize;
  const windowsize = o.windowsize ?? DEFAULTS.windowsize;
  const timeoutMs = o.timeoutMs ?? DEFAULTS.timeoutMs;
  const retries = o.retries ?? DEFAULTS.retries;
  const maxTsize = o.maxTsize ?? DEFAULTS.maxTsize;
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`Invalid TFTP option: ${what}`);
  };
  check(Number.isInteger(blksize) && blksize >= MIN_BLKSIZE && blksize <= MAX_BLKSIZE, `blksize ${blksize} (8..65464)`);
  check(Number.isInteger(windowsize) && windowsize >= 1 && windowsize <= MAX_WINDOWSIZE, `windowsize ${windowsize} (1..65535)`);
  check(Number.isFinite(timeoutMs) && timeoutMs > 0, `timeoutMs ${timeoutMs}`);
  check(Number.isInteger(retries) && retries >= 0, `retries ${retries}`);
  check(Number.isInteger(o.port) && o.port > 0 && o.port < 65536, `port ${o.port}`);
  check(maxTsize >= 0, `maxTsize ${maxTsize}`);
  return {
    remotePath: o.remotePath,
    port: o.port,
    blksize,
    windowsize,
    timeoutMs,
    retries,
    requestOptions: o.requestOptions ?? true,
    maxTsize,
    signal: o.signal,
    onProgress: o.onProgress,
  };
}

async function resolve(host: string): Promise<Endpoint> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const family = isIP(bare);
  if (family === 4 || family === 6) return { address: bare, family };
  try {
    const found = await lookup(bare);
    return { address: found.address, family: found.family === 6 ? 6 : 4 };
  } catch (e) {
    throw new TftpError('io', `Unknown host ${host}`, null, { cause: e });
  }
}

function closeFd(fd: number): Promise<void> {
  return new Promise((ok, ko) => fs.close(fd, (e) => (e ? ko(e) : ok())));
}

function cancelled(): TftpError {
  return new TftpError('cancelled', 'Cancelled');
}

function protocolError(detail: string): TftpError {
  return new TftpError('protocol', `Protocol error: ${detail}`);
}

const ERRNO_REASONS: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EISDIR: 'Is a directory',
  EROFS: 'Read-only file system',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EADDRNOTAVAIL: 'Cannot assign requested address',
};

function ioError(e: unknown): TftpError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code && ERRNO_REASONS[code]) ?? (e instanceof Error ? e.message : String(e));
  return new TftpError('io', reason, null, { cause: e });
}

// Reasons read like the controller's syslog (strerror style), not like the server's own text.
function serverError(code: number, message: string): TftpError {
  switch (code) {
    case ErrorCode.FILE_NOT_FOUND:
      return new TftpError('not-found', 'No such file or directory', code);
    case ErrorCode.ACCESS_VIOLATION:
      return new TftpError('access', 'Permission denied', code);
    case ErrorCode.DISK_FULL:
      return new TftpError('server', 'Disk full or allocation exceeded', code);
    case ErrorCode.ILLEGAL_OPERATION:
      return new TftpError('protocol', 'Illegal TFTP operation', code);
    case ErrorCode.UNKNOWN_TID:
      return new TftpError('protocol', 'Unknown transfer ID', code);
    case ErrorCode.FILE_EXISTS:
      return new TftpError('server', 'File already exists', code);
    case ErrorCode.NO_SUCH_USER:
      return new TftpError('server', 'No such user', code);
    case ErrorCode.OPTION_REFUSED:
      return new TftpError('protocol', message || 'Option negotiation refused', code);
    default:
      return new TftpError('server', message || `Server error ${code}`, code);
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Ordered writes of received blocks through a small pool of chunk buffers, so memory stays flat
 * and the disk sees ~1 MiB writes instead of one syscall per datagram.
 */
class ChunkedFileWriter {
  readonly blocksPerChunk: number;
  private readonly chunkBytes: number;
  private readonly free: Buffer[] = [];
  private current: Buffer | null;
  private used = 0;
  private position = 0;
  private readonly queue: { chunk: Buffer; length: number; position: number }[] = [];
  private writing = false;
  private failure: TftpError | null = null;
  private drained: (() => void) | null = null;
  written = 0;

  constructor(
    private readonly fd: number,
    private readonly blksize: number,
    windowsize: number,
    private readonly onWritten: () => void,
  ) {
    this.blocksPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / blksize));
    this.chunkBytes = this.blocksPerChunk * blksize;
    // One chunk filling while others are on their way to disk, plus room for a whole window.
    const chunks = 2 + Math.ceil(windowsize / this.blocksPerChunk);
    for (let i = 1; i < chunks; i++) this.free.push(Buffer.allocUnsafe(this.chunkBytes));
    this.current = Buffer.allocUnsafe(this.chunkBytes);
  }

  get error(): TftpError | null {
    return this.failure;
  }

  /** How many more blocks can be accepted without waiting for the disk. */
  capacityBlocks(): number {
    const inCurrent = this.current ? Math.floor((this.chunkBytes - this.used) / this.blksize) : 0;
    return inCurrent + this.free.length * this.blocksPerChunk;
  }

  /** Copies a DATA payload; the caller checked capacityBlocks() > 0. */
  append(packet: Buffer): void {
    const current = this.current!;
    this.used += packet.copy(current, this.used, DATA_HEADER_BYTES);
    if (this.chunkBytes - this.used < this.blksize) this.flush();
  }

  flush(): void {
    if (!this.current || this.used === 0) return;
    this.queue.push({ chunk: this.current, length: this.used, position: this.position });
    this.position += this.used;
    this.used = 0;
    this.current = this.free.pop() ?? null;
    this.pump();
  }

  /** Resolves once every accepted byte is on disk (or the first write error). */
  settle(): Promise<void> {
    this.flush();
    if (!this.writing) return Promise.resolve();
    return new Promise((ok) => (this.drained = ok));
  }

  private pump(): void {
    if (this.writing || this.failure) return;
    const job = this.queue.shift();
    if (!job) {
      this.drained?.();
      this.drained = null;
      return;
    }
    this.writing = true;
    fs.write(this.fd, job.chunk, 0, job.length, job.position, (e, n) => {
      this.writing = false;
      if (e || n !== job.length) {
        this.failure = ioError(e ?? Object.assign(new Error('short write'), { code: 'ENOSPC' }));
        this.drained?.();
        this.drained = null;
      } else {
        this.written += n;
        if (this.current) this.free.push(job.chunk);
        else this.current = job.chunk;
      }
      this.onWritten();
      this.pump();
    });
  }
}

// ---------------------------------------------------------------------------------------------

type Phase = 'request' | 'data' | 'dally' | 'closed';

/** One RRQ and the transfer that answers it, on its own socket (its own TID). */
class Transfer {
  private readonly socket: dgram.Socket;
  private phase: Phase = 'request';
  private withOptions = false;
  private request: Buffer = Buffer.alloc(0);
  private serverPort = -1;
  private negotiated: TftpNegotiated = { blksize: DEFAULT_BLKSIZE, windowsize: 1, tsize: null, timeoutSeconds: null, optionsAccepted: false };
  private blksize = DEFAULT_BLKSIZE;
  private windowsize = 1;
  private writer: ChunkedFileWriter | null = null;

  // 16-bit block expected next; `rolloverTo` learns whether the server wraps 65535 -> 0 or -> 1.
  private next16 = 1;
  private rolloverTo: 0 | 1 | null = null;
  private lastInOrder16 = 0;
  private blocks = 0;
  private bytes = 0;
  private sinceAck = 0;
  private gapAckedAtBlock = -1;
  private ackDeferred = false;
  private lastAckAt = 0;
  private progressAt = 0;
  private retransmissions = 0;
  private lastProgressReport = 0;
  private timer: NodeJS.Timeout | null = null;
  private settle: { ok: (outcome: Outcome) => void; ko: (e: unknown) => void } | null = null;

  constructor(
    private readonly settings: Settings,
    private readonly server: Endpoint,
    private readonly fd: number,
  ) {
    this.socket = dgram.createSocket({ type: server.family === 6 ? 'udp6' : 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  }

  run(withOptions: boolean): Promise<Outcome> {
    this.withOptions = withOptions;
    return new Promise<Outcome>((ok, ko) => {
      this.settle = { ok, ko };
      this.settings.signal?.addEventListener('abort', this.onAbort);
      this.socket.on('message', this.onMessage);
      this.socket.on('error', (e) => this.finish(ioError(e)));
      this.socket.bind({ port: 0, address: bindAddress(this.server) }, () => {
        if (this.phase === 'closed') return;
        this.request = encodeRequest(Opcode.RRQ, this.settings.remotePath, 'octet', withOptions ? this.optionRequest() : []);
        this.send(this.request);
        this.progressAt = Date.now();
        this.timer = setTimeout(this.onTimer, this.settings.timeoutMs);
      });
    });
  }

  private optionRequest(): [string, string][] {
    const timeoutSeconds = Math.min(255, Math.max(1, Math.ceil(this.settings.timeoutMs / 1000)));
    const options: [string, string][] = [
      ['blksize', String(this.settings.blksize)],
      ['tsize', '0'],
      ['timeout', String(timeoutSeconds)],
    ];
    if (this.settings.windowsize > 1) options.push(['windowsize', String(this.settings.windowsize)]);
    return options;
  }

  private send(packet: Buffer, port = this.serverPort < 0 ? this.settings.port : this.serverPort, address = this.server.address): void {
    this.socket.send(packet, port, address);
  }

  private readonly onMessage = (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
    if (rinfo.address !== this.server.address || (this.serverPort >= 0 && rinfo.port !== this.serverPort)) {
      // RFC 1350: a stranger's packet must not end or disturb the transfer, only be told off.
      if (this.phase !== 'closed') this.send(encodeError(ErrorCode.UNKNOWN_TID, 'Unknown transfer ID'), rinfo.port, rinfo.address);
      return;
    }
    if (msg.length < 4) return;
    try {
      const opcode = msg.readUInt16BE(0);
      if (opcode === Opcode.DATA) this.onData(msg, rinfo.port);
      else if (opcode === Opcode.OACK) this.onOack(msg, rinfo.port);
      else if (opcode === Opcode.ERROR) this.onError(msg);
      else if (this.phase !== 'dally') this.abortWith(protocolError(`unexpected opcode ${opcode}`), ErrorCode.ILLEGAL_OPERATION);
    } catch (e) {
      if (e instanceof MalformedPacketError) this.abortWith(protocolError(e.message), ErrorCode.ILLEGAL_OPERATION);
      else throw e;
    }
  };

  private onOack(msg: Buffer, port: number): void {
    if (this.phase === 'data' && this.blocks === 0) {
      // Our ACK 0 was lost: the server is repeating its OACK.
      this.resendAckUnlessFresh();
      return;
    }
    if (this.phase !== 'request') return;
    if (!this.withOptions) {
      this.serverPort = port;
      this.abortWith(protocolError('OACK to a request without options'), ErrorCode.OPTION_REFUSED);
      return;
    }
    this.serverPort = port;
    const refusal = this.acceptOack(decodeOack(msg));
    if (refusal) {
      this.abortWith(protocolError(refusal), ErrorCode.OPTION_REFUSED);
      return;
    }
    this.startData();
    this.sendAck(0);
  }

  /** Returns why the OACK is unacceptable, or null after adopting it. */
  private acceptOack(options: TftpOptions): string | null {
    const int = (name: string): number | null => {
      const raw = options.get(name);
      if (raw === undefined) return null;
      return /^\d+$/.test(raw) ? Number(raw) : NaN;
    };
    const blksize = int('blksize') ?? DEFAULT_BLKSIZE;
    const windowsize = int('windowsize') ?? 1;
    const tsize = int('tsize');
    const timeout = int('timeout');
    if (!(blksize >= MIN_BLKSIZE && blksize <= this.settings.blksize)) return `server chose blksize ${options.get('blksize')}, asked for at most ${this.settings.blksize}`;
    if (!(windowsize >= 1 && windowsize <= this.settings.windowsize)) return `server chose windowsize ${options.get('windowsize')}, asked for at most ${this.settings.windowsize}`;
    if (tsize !== null && !(tsize >= 0)) return `invalid tsize ${options.get('tsize')}`;
    if (tsize !== null && tsize > this.settings.maxTsize) return `announced tsize ${tsize} exceeds the limit of ${this.settings.maxTsize} bytes`;
    if (timeout !== null && !(timeout >= 1 && timeout <= 255)) return `invalid timeout ${options.get('timeout')}`;
    this.negotiated = { blksize, windowsize, tsize, timeoutSeconds: timeout, optionsAccepted: true };
    return null;
  }

  private startData(): void {
    this.phase = 'data';
    this.blksize = this.negotiated.blksize;
    this.windowsize = this.negotiated.windowsize;
    this.writer = new ChunkedFileWriter(this.fd, this.blksize, this.windowsize, this.onWritten);
    this.progressAt = Date.now();
    this.retransmissions = 0;
  }

  private onData(msg: Buffer, port: number): void {
    if (this.phase === 'request') {
      // The server ignored our options (or we sent none): RFC 1350 defaults apply.
      this.serverPort = port;
      this.startData();
    } else if (this.phase === 'dally') {
      if (msg.readUInt16BE(2) === this.lastInOrder16) this.resendAckUnlessFresh(true);
      return;
    } else if (this.phase !== 'data') {
      return;
    }
    const payload = msg.length - DATA_HEADER_BYTES;
    if (payload > this.blksize) {
      this.abortWith(protocolError(`DATA block of ${payload} bytes exceeds the negotiated blksize ${this.blksize}`), ErrorCode.ILLEGAL_OPERATION);
      return;
    }
    const block = msg.readUInt16BE(2);
    if (block !== this.next16) {
      if (this.next16 === 0 && this.rolloverTo === null && block === 1) {
        this.rolloverTo = 1;
      } else {
        this.onOutOfOrder(block);
        return;
      }
    } else if (block === 0) {
      this.rolloverTo = 0;
    }
    const writer = this.writer!;
    // A server that overruns the window while the disk lags: drop, it will resend after our ACK.
    if (writer.capacityBlocks() === 0) return;
    writer.append(msg);
    this.blocks++;
    this.bytes += payload;
    this.lastInOrder16 = block;
    this.next16 = block === 0xffff ? (this.rolloverTo ?? 0) : block + 1;
    this.progressAt = Date.now();
    this.retransmissions = 0;
    const tsize = this.negotiated.tsize;
    if (tsize !== null && this.bytes > tsize) {
      this.abortWith(protocolError(`received more than the announced tsize of ${tsize} bytes`), ErrorCode.ILLEGAL_OPERATION);
      return;
    }
    if (payload < this.blksize) {
      if (tsize !== null && this.bytes !== tsize) {
        this.abortWith(protocolError(`transfer ended after ${this.bytes} bytes, announced tsize was ${tsize}`), ErrorCode.ILLEGAL_OPERATION);
        return;
      }
      this.sendAck(block, true);
      void this.complete();
    } else if (++this.sinceAck >= this.windowsize) {
      this.sendAck(block);
    }
  }

  private onOutOfOrder(block: number): void {
    const ahead = (block - this.next16) & 0xffff;
    if (ahead > 0 && ahead < this.windowsize) {
      // A gap (RFC 7440): one re-ACK of the last in-order block makes the server resend from there.
      // Further blocks of the same broken window must not trigger more ACKs, or it resends again.
      if (this.gapAckedAtBlock !== this.blocks) {
        this.gapAckedAtBlock = this.blocks;
        this.sendAck(this.lastInOrder16);
      }
      return;
    }
    if (block === this.lastInOrder16) this.resendAckUnlessFresh();
  }

  /**
   * A duplicate of the block we last acknowledged means our ACK was lost, but only if it comes
   * late; an early duplicate is the server's own overlap, and answering it would make the server
   * send the next window twice (Sorcerer's Apprentice).
   */
  private resendAckUnlessFresh(final = false): void {
    if (Date.now() - this.lastAckAt >= this.settings.timeoutMs / 2) this.sendAck(this.lastInOrder16, final);
  }

  /** `final` ACKs invite nothing more, so they never wait for the disk. */
  private sendAck(block: number, final = false): void {
    // Acknowledging invites a whole window; wait for the disk rather than drop what comes.
    if (!final && this.phase === 'data' && this.writer!.capacityBlocks() < this.windowsize) {
      this.ackDeferred = true;
      return;
    }
    this.ackDeferred = false;
    this.sinceAck = 0;
    this.lastAckAt = Date.now();
    this.send(encodeAck(block));
  }

  private readonly onWritten = (): void => {
    const writer = this.writer!;
    if (writer.error) {
      this.abortWith(writer.error, ErrorCode.DISK_FULL);
      return;
    }
    if (this.ackDeferred && writer.capacityBlocks() >= this.windowsize) this.sendAck(this.lastInOrder16);
    const now = Date.now();
    if (this.settings.onProgress && now - this.lastProgressReport >= PROGRESS_INTERVAL_MS) {
      this.lastProgressReport = now;
      this.settings.onProgress(writer.written, this.negotiated.tsize);
    }
  };

  private onError(msg: Buffer): void {
    if (this.phase === 'dally') return;
    const { code, message } = decodeError(msg);
    if (code === ErrorCode.OPTION_REFUSED && this.phase === 'request' && this.withOptions) {
      this.finish(new OptionsRefused(message));
      return;
    }
    this.finish(serverError(code, message));
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    if (this.phase !== 'request' && this.phase !== 'data') return;
    const idle = Date.now() - this.progressAt;
    if (idle < this.settings.timeoutMs) {
      this.timer = setTimeout(this.onTimer, this.settings.timeoutMs - idle);
      return;
    }
    if (++this.retransmissions > this.settings.retries) {
      this.finish(new TftpError('timeout', 'Timed out'));
      return;
    }
    // RFC 7440: on timeout the receiver re-acknowledges the last in-order block.
    if (this.phase === 'request') this.send(this.request);
    else this.sendAck(this.lastInOrder16);
    this.progressAt = Date.now();
    this.timer = setTimeout(this.onTimer, this.settings.timeoutMs);
  };

  private readonly onAbort = (): void => {
    this.abortWith(cancelled(), ErrorCode.NOT_DEFINED, 'Transfer cancelled');
  };

  private async complete(): Promise<void> {
    this.phase = 'dally';
    this.clearTimer();
    this.settings.signal?.removeEventListener('abort', this.onAbort);
    const writer = this.writer!;
    await writer.settle();
    if (writer.error) {
      this.finish(writer.error);
      return;
    }
    this.settings.onProgress?.(writer.written, this.negotiated.tsize);
    // Stay around (without holding the process open) to re-ACK the last block if our ACK was lost.
    this.socket.unref();
    setTimeout(() => this.closeSocket(), this.settings.timeoutMs).unref();
    const settle = this.settle;
    this.settle = null;
    settle?.ok({ negotiated: this.negotiated, bytes: writer.written });
  }

  /** Ends the transfer with an error the server should hear about too. */
  private abortWith(error: TftpError, code: number, message = error.reason): void {
    if (this.phase === 'closed') return;
    if (this.phase !== 'request' || this.serverPort >= 0) this.send(encodeError(code, message));
    this.finish(error);
  }

  private finish(error: Error): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.clearTimer();
    this.settings.signal?.removeEventListener('abort', this.onAbort);
    const settle = this.settle;
    this.settle = null;
    // Let the ERROR datagram leave before the socket goes away, and let in-flight writes land
    // before the caller closes and removes the file.
    const writesDone = this.writer ? this.writer.settle() : Promise.resolve();
    setImmediate(() => this.closeSocket());
    void writesDone.then(() => settle?.ko(error));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private closeSocket(): void {
    this.phase = 'closed';
    try {
      this.socket.close();
    } catch {
      // Already closed: both the dally timer and an error path may get here.
    }
  }
}

function bindAddress(server: Endpoint): string {
  if (server.family === 6) return server.address === '::1' ? '::1' : '::';
  return server.address.startsWith('127.') ? '127.0.0.1' : '0.0.0.0';
}
