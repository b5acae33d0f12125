import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_BLKSIZE, ErrorCode, MAX_BLKSIZE, MIN_BLKSIZE, MalformedPacketError, Opcode, decodeRequest, encodeError, encodeOack, type RequestPacket } from '../../tftp/packets';

// A read-only TFTP server for the console's demo mode, so image downloads work with nothing else installed.

export interface TftpServerOptions {
  root: string;
  host?: string;
  port?: number;
  timeoutMs?: number;
  retries?: number;
}

export interface TftpServerHandle {
  host: string;
  port: number;
  close(): Promise<void>;
}

// Windows beyond this buy nothing on a LAN and only make each retransmission heavier.
const MAX_SERVED_WINDOWSIZE = 64;
const READ_AHEAD_BYTES = 256 * 1024;

export async function startTftpServer(options: TftpServerOptions): Promise<TftpServerHandle> {
  const host = options.host ?? '127.0.0.1';
  const root = await fs.promises.realpath(options.root);
  const config = { root, timeoutMs: options.timeoutMs ?? 1000, retries: options.retries ?? 5 };
  const transfers = new Set<ReadTransfer>();
  const listener = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  listener.on('message', (msg, rinfo) => {
    const transfer = new ReadTransfer(config, host, rinfo, () => transfers.delete(transfer));
    transfers.add(transfer);
    void transfer.start(msg);
  });
  await new Promise<void>((ok, ko) => {
    listener.once('error', ko);
    listener.bind(options.port ?? 0, host, () => {
      listener.off('error', ko);
      ok();
    });
  });
  // A bad datagram must never take the demo server down.
  listener.on('error', () => undefined);
  return {
    host,
    port: listener.address().port,
    close: async () => {
      for (const transfer of transfers) transfer.stop();
      await new Promise<void>((ok) => listener.close(() => ok()));
    },
  };
}

interface ServerConfig {
  root: string;
  timeoutMs: number;
  retries: number;
}

class RequestRefused extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Serves one RRQ from its own socket (a fresh TID, RFC 1350). */
class ReadTransfer {
  private readonly socket: dgram.Socket;
  private fd: number | null = null;
  private size = 0;
  private blksize = DEFAULT_BLKSIZE;
  private windowsize = 1;
  private timeoutMs: number;
  // `acked` counts blocks without wrapping; the wire carries it modulo 65536 (rollover to 0).
  private acked = 0;
  // The last block is the first one shorter than blksize, possibly empty.
  private lastBlock = 1;
  private awaitingOack = false;
  private oack: Buffer | null = null;
  private attempts = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private cache: Buffer = Buffer.alloc(0);
  private cachedFrom = 0;

  constructor(
    private readonly config: ServerConfig,
    host: string,
    private readonly peer: dgram.RemoteInfo,
    private readonly onEnd: () => void,
  ) {
    this.timeoutMs = config.timeoutMs;
    this.socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    this.socket.on('error', () => this.stop());
    this.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    this.socket.bind(0, host);
  }

  async start(msg: Buffer): Promise<void> {
    try {
      const request = parseRequest(msg);
      await this.open(request);
      this.negotiate(request.options);
    } catch (e) {
      if (e instanceof RequestRefused) this.refuse(e.code, e.message);
      else this.refuse(ErrorCode.NOT_DEFINED, e instanceof Error ? e.message : String(e));
      return;
    }
    if (this.oack) {
      this.awaitingOack = true;
      this.socket.send(this.oack, this.peer.port, this.peer.address);
      this.arm();
    } else {
      this.sendWindow();
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.fd !== null) fs.close(this.fd, () => undefined);
    // Let an ERROR datagram queued just before leave first.
    setImmediate(() => this.socket.close());
    this.onEnd();
  }

  private refuse(code: number, message: string): void {
    this.socket.send(encodeError(code, message), this.peer.port, this.peer.address);
    this.stop();
  }

  private async open(request: RequestPacket): Promise<void> {
    const target = confine(this.config.root, request.filename);
    let real: string;
    try {
      real = await fs.promises.realpath(target);
    } catch (e) {
      throw fileError(e);
    }
    // A symlink inside root may still point outside it.
    if (!isInside(this.config.root, real)) throw new RequestRefused(ErrorCode.ACCESS_VIOLATION, 'Access violation');
    try {
      this.fd = await new Promise<number>((ok, ko) => fs.open(real, 'r', (e, fd) => (e ? ko(e) : ok(fd))));
      const stat = await new Promise<fs.Stats>((ok, ko) => fs.fstat(this.fd!, (e, s) => (e ? ko(e) : ok(s))));
      if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      this.size = stat.size;
    } catch (e) {
      throw fileError(e);
    }
  }

  private negotiate(requested: Map<string, string>): void {
    const accepted: [string, string][] = [];
    const int = (name: string): number | null => {
      const raw = requested.get(name);
      return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
    };
    const blksize = int('blksize');
    if (blksize !== null && blksize >= MIN_BLKSIZE) {
      this.blksize = Math.min(blksize, MAX_BLKSIZE);
      accepted.push(['blksize', String(this.blksize)]);
    }
    if (int('tsize') !== null) accepted.push(['tsize', String(this.size)]);
    const timeout = int('timeout');
    if (timeout !== null && timeout >= 1 && timeout <= 255) {
      this.timeoutMs = timeout * 1000;
      accepted.push(['timeout', String(timeout)]);
    }
    const windowsize = int('windowsize');
    if (windowsize !== null && windowsize >= 1) {
      this.windowsize = Math.min(windowsize, MAX_SERVED_WINDOWSIZE);
      accepted.push(['windowsize', String(this.windowsize)]);
    }
    this.lastBlock = Math.floor(this.size / this.blksize) + 1;
    this.oack = accepted.length > 0 ? encodeOack(accepted) : null;
  }

  private onMessage(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.stopped) return;
    if (rinfo.address !== this.peer.address || rinfo.port !== this.peer.port) {
      this.socket.send(encodeError(ErrorCode.UNKNOWN_TID, 'Unknown transfer ID'), rinfo.port, rinfo.address);
      return;
    }
    if (msg.length < 4) return;
    const opcode = msg.readUInt16BE(0);
    if (opcode === Opcode.ERROR) {
      this.stop();
      return;
    }
    if (opcode !== Opcode.ACK) {
      this.refuse(ErrorCode.ILLEGAL_OPERATION, 'Illegal TFTP operation');
      return;
    }
    const block16 = msg.readUInt16BE(2);
    if (this.awaitingOack) {
      if (block16 !== 0) return;
      this.awaitingOack = false;
      this.sendWindow();
      return;
    }
    // Map the 16-bit ACK into the window we sent; anything else is stale.
    const sentUpTo = Math.min(this.acked + this.windowsize, this.lastBlock);
    const advance = (block16 - this.acked) & 0xffff;
    // A repeated ACK of what we already have is ignored rather than answered (Sorcerer's Apprentice);
    // the retransmission timer recovers a lost window.
    if (advance === 0 || this.acked + advance > sentUpTo) return;
    this.acked += advance;
    this.attempts = 0;
    if (this.acked >= this.lastBlock) this.stop();
    else this.sendWindow();
  }

  /** Sends blocks acked+1 .. acked+windowsize out of the read-ahead buffer. */
  private sendWindow(): void {
    const offset = this.acked * this.blksize;
    const length = Math.max(0, Math.min(this.windowsize * this.blksize, this.size - offset));
    if (offset >= this.cachedFrom && offset + length <= this.cachedFrom + this.cache.length) {
      this.sendFromCache();
      return;
    }
    // Reading ahead keeps lock-step transfers from paying a thread-pool round trip per block.
    // Each refill gets a new buffer: queued datagrams may still reference the previous one.
    const buffer = Buffer.allocUnsafe(Math.max(length, READ_AHEAD_BYTES - (READ_AHEAD_BYTES % this.blksize)));
    const expected = this.acked;
    fs.read(this.fd!, buffer, 0, buffer.length, offset, (e, bytesRead) => {
      if (this.stopped || expected !== this.acked) return;
      if (e || bytesRead < length) {
        this.refuse(ErrorCode.NOT_DEFINED, 'Read error');
        return;
      }
      this.cache = buffer.subarray(0, bytesRead);
      this.cachedFrom = offset;
      this.sendFromCache();
    });
  }

  private sendFromCache(): void {
    const last = Math.min(this.acked + this.windowsize, this.lastBlock);
    for (let block = this.acked + 1; block <= last; block++) {
      const start = (block - 1) * this.blksize - this.cachedFrom;
      const header = Buffer.allocUnsafe(4);
      header.writeUInt16BE(Opcode.DATA, 0);
      header.writeUInt16BE(block & 0xffff, 2);
      this.socket.send([header, this.cache.subarray(start, start + this.blksize)], this.peer.port, this.peer.address);
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onTimeout(), this.timeoutMs);
  }

  private onTimeout(): void {
    if (this.stopped) return;
    if (++this.attempts > this.config.retries) {
      this.stop();
      return;
    }
    if (this.awaitingOack && this.oack) {
      this.socket.send(this.oack, this.peer.port, this.peer.address);
      this.arm();
    } else {
      this.sendWindow();
    }
  }
}

function parseRequest(msg: Buffer): RequestPacket {
  let request: RequestPacket;
  try {
    request = decodeRequest(msg);
  } catch (e) {
    if (e instanceof MalformedPacketError) throw new RequestRefused(ErrorCode.ILLEGAL_OPERATION, 'Illegal TFTP operation');
    throw e;
  }
  if (request.opcode === Opcode.WRQ) throw new RequestRefused(ErrorCode.ACCESS_VIOLATION, 'Access violation');
  // netascii is served as-is: AP images are binary and conversion would corrupt them.
  if (request.mode !== 'octet' && request.mode !== 'netascii') {
    throw new RequestRefused(ErrorCode.ILLEGAL_OPERATION, 'Illegal TFTP operation');
  }
  return request;
}

/** Resolves the requested name under root the way tftpd-hpa --secure does: `/a/b` means root/a/b. */
function confine(root: string, filename: string): string {
  const target = path.resolve(root, `.${path.sep}${filename.replace(/^\/+/, '')}`);
  if (!isInside(root, target)) throw new RequestRefused(ErrorCode.ACCESS_VIOLATION, 'Access violation');
  return target;
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

function fileError(e: unknown): RequestRefused {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new RequestRefused(ErrorCode.FILE_NOT_FOUND, 'File not found');
  if (code === 'EACCES' || code === 'EPERM') return new RequestRefused(ErrorCode.ACCESS_VIOLATION, 'Access violation');
  return new RequestRefused(ErrorCode.NOT_DEFINED, e instanceof Error ? e.message : String(e));
}
