import type { ClientChannel } from 'ssh2';

/**
 * The read side of SFTP version 3 (draft-ietf-secsh-filexfer-02) over an ssh2 subsystem channel.
 * ssh2's own SFTP client gathers every DATA answer into a fresh buffer of its full size and then copies
 * it into the caller's: for a 300 MB image that is 300 MB of garbage and a second copy. Here the payload
 * goes straight from the channel into the caller's buffer.
 */
export class SftpChannelError extends Error {
  /** The SFTP status code, or undefined when the channel itself failed. */
  readonly code: number | undefined;

  constructor(message: string, code?: number) {
    super(message);
    this.name = 'SftpChannelError';
    this.code = code;
  }
}

export interface RemoteAttributes {
  size: number;
  mode: number;
  /** Seconds since the epoch, or null when the server does not say. */
  mtime: number | null;
}

type ReadDone = (error: SftpChannelError | null, bytesRead: number) => void;
type Pending = { kind: 'read'; buffer: Buffer; offset: number; length: number; done: ReadDone } | { kind: 'reply'; done: (error: SftpChannelError | null, type: number, body: Buffer) => void };

const FXP = { INIT: 1, VERSION: 2, OPEN: 3, CLOSE: 4, READ: 5, FSTAT: 8, STATUS: 101, HANDLE: 102, DATA: 103, ATTRS: 105, EXTENDED: 200, EXTENDED_REPLY: 201 } as const;
const STATUS_EOF = 1;
const OPEN_READ = 0x00000001;
const ATTR = { SIZE: 0x1, UIDGID: 0x2, PERMISSIONS: 0x4, ACMODTIME: 0x8 } as const;
/** OpenSSH's own limit is 256 KiB; anything far larger is a broken or hostile server. */
const MAX_PACKET = 1024 * 1024;
/** What a server that does not announce its limits is assumed to answer in full (ssh2's own choice). */
const DEFAULT_MAX_READ = 32_768;
/** Length, type and request id, then a DATA packet's payload length. */
const HEAD = 9;
const DATA_HEAD = 13;

export class SftpChannel {
  /** The largest read the server answers in full: from `limits@openssh.com` when it offers it. */
  maxReadLength = DEFAULT_MAX_READ;
  /** `performance.now()` of the last bytes received, so that a caller can tell slow from silent. */
  lastActivity = performance.now();
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private readonly head = Buffer.alloc(DATA_HEAD);
  private headFilled = 0;
  private headWanted = HEAD;
  private body: Buffer | null = null;
  private bodyFilled = 0;
  private bodyType = 0;
  private bodyId = 0;
  private copy: { read: Extract<Pending, { kind: 'read' }>; at: number; left: number; total: number } | null = null;
  private skipLeft = 0;
  /** Requests made in this tick: they leave together in one SSH packet (one encryption, one system call). */
  private outgoing: Buffer[] = [];
  private closedWith: SftpChannelError | null = null;
  private onVersion: ((extensions: Map<string, Buffer>) => void) | null = null;

  private constructor(private readonly stream: ClientChannel) {
    stream.on('data', (chunk: Buffer) => {
      try {
        this.receive(chunk);
      } catch {
        // A truncated field in a server's answer must end this channel, not the process.
        this.shutdown('Malformed SFTP packet');
      }
    });
    stream.on('error', () => this.shutdown('SFTP channel failed'));
    stream.on('close', () => this.shutdown('SFTP channel closed'));
    stream.on('end', () => this.shutdown('SFTP channel closed'));
  }

  /** Runs the version exchange and learns the server's read limit. */
  static start(stream: ClientChannel): Promise<SftpChannel> {
    const channel = new SftpChannel(stream);
    return new Promise<SftpChannel>((resolve, reject) => {
      channel.onVersion = (extensions) => {
        if (!extensions.has('limits@openssh.com')) return resolve(channel);
        channel.reply(FXP.EXTENDED, [string('limits@openssh.com')], (error, type, body) => {
          // max-packet-length, max-read-length, max-write-length, max-open-handles: uint64 each.
          if (!error && type === FXP.EXTENDED_REPLY && body.length >= 16) {
            const maxRead = Number(body.readBigUInt64BE(8));
            if (maxRead > 0) channel.maxReadLength = Math.min(maxRead, MAX_PACKET - 1024);
          }
          resolve(channel);
        });
      };
      stream.once('close', () => reject(new SftpChannelError('SFTP channel closed during the version exchange')));
      const init = Buffer.alloc(9);
      init.writeUInt32BE(5, 0);
      init[4] = FXP.INIT;
      init.writeUInt32BE(3, 5);
      stream.write(init);
    });
  }

  open(path: string, done: (error: SftpChannelError | null, handle?: Buffer) => void): void {
    const attrs = Buffer.alloc(4);
    this.reply(FXP.OPEN, [string(path), uint32(OPEN_READ), attrs], (error, type, body) => {
      if (error) return done(error);
      if (type !== FXP.HANDLE) return done(new SftpChannelError(`Unexpected answer ${type} to OPEN`));
      done(null, body.subarray(4, 4 + body.readUInt32BE(0)));
    });
  }

  fstat(handle: Buffer, done: (error: SftpChannelError | null, attrs?: RemoteAttributes) => void): void {
    this.reply(FXP.FSTAT, [string(handle)], (error, type, body) => {
      if (error) return done(error);
      if (type !== FXP.ATTRS) return done(new SftpChannelError(`Unexpected answer ${type} to FSTAT`));
      done(null, parseAttributes(body));
    });
  }

  close(handle: Buffer, done: (error: SftpChannelError | null) => void): void {
    this.reply(FXP.CLOSE, [string(handle)], (error) => done(error));
  }

  /** Reads up to `length` bytes at `position` into `buffer` at `offset`; 0 bytes means end of file. */
  read(handle: Buffer, buffer: Buffer, offset: number, length: number, position: number, done: ReadDone): void {
    const id = this.send(FXP.READ, [string(handle), uint64(position), uint32(length)]);
    if (id === null) return done(this.closedWith, 0);
    this.pending.set(id, { kind: 'read', buffer, offset, length, done });
  }

  private reply(type: number, fields: Buffer[], done: (error: SftpChannelError | null, type: number, body: Buffer) => void): void {
    const id = this.send(type, fields);
    if (id === null) return done(this.closedWith, 0, Buffer.alloc(0));
    this.pending.set(id, {
      kind: 'reply',
      done: (error, answerType, body) => {
        if (error) return done(error, answerType, body);
        if (answerType === FXP.STATUS) {
          const status = parseStatus(body);
          return status.code === 0 ? done(null, answerType, body) : done(new SftpChannelError(status.message, status.code), answerType, body);
        }
        done(null, answerType, body);
      },
    });
  }

  private send(type: number, fields: Buffer[]): number | null {
    if (this.closedWith) return null;
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0;
    const length = fields.reduce((sum, field) => sum + field.length, 5);
    const head = Buffer.allocUnsafe(9);
    head.writeUInt32BE(length, 0);
    head[4] = type;
    head.writeUInt32BE(id, 5);
    // A burst of reads then costs the server one packet to decrypt and one wake-up instead of one per read.
    this.outgoing.push(head, ...fields);
    if (this.outgoing.length === 1 + fields.length) process.nextTick(() => this.flushOutgoing());
    return id;
  }

  private flushOutgoing(): void {
    const outgoing = this.outgoing;
    this.outgoing = [];
    if (!this.closedWith) this.stream.write(Buffer.concat(outgoing));
  }

  private receive(chunk: Buffer): void {
    this.lastActivity = performance.now();
    let p = 0;
    while (p < chunk.length && !this.closedWith) {
      if (this.copy) {
        const { read } = this.copy;
        const n = Math.min(this.copy.left, chunk.length - p);
        chunk.copy(read.buffer, this.copy.at, p, p + n);
        this.copy.at += n;
        this.copy.left -= n;
        p += n;
        if (this.copy.left === 0) {
          const total = this.copy.total;
          this.copy = null;
          read.done(null, total);
        }
      } else if (this.skipLeft > 0) {
        const n = Math.min(this.skipLeft, chunk.length - p);
        this.skipLeft -= n;
        p += n;
      } else if (this.body) {
        const n = Math.min(this.body.length - this.bodyFilled, chunk.length - p);
        chunk.copy(this.body, this.bodyFilled, p, p + n);
        this.bodyFilled += n;
        p += n;
        if (this.bodyFilled === this.body.length) {
          const body = this.body;
          this.body = null;
          this.dispatch(this.bodyType, this.bodyId, body);
        }
      } else {
        const n = Math.min(this.headWanted - this.headFilled, chunk.length - p);
        chunk.copy(this.head, this.headFilled, p, p + n);
        this.headFilled += n;
        p += n;
        if (this.headFilled === this.headWanted) this.parseHead();
      }
    }
  }

  private parseHead(): void {
    const length = this.head.readUInt32BE(0);
    const type = this.head[4];
    if (length < 5 || length > MAX_PACKET) return this.shutdown(`Bad SFTP packet length ${length}`);
    const id = this.head.readUInt32BE(5);
    const pending = this.pending.get(id);
    if (type === FXP.DATA && pending?.kind === 'read' && this.headWanted === HEAD && length >= DATA_HEAD - 4) {
      this.headWanted = DATA_HEAD;
      return;
    }
    this.headFilled = 0;
    if (this.headWanted === DATA_HEAD && pending?.kind === 'read') {
      this.headWanted = HEAD;
      const size = this.head.readUInt32BE(9);
      if (size > pending.length || 9 + size > length) return this.shutdown('SFTP server sent more data than asked for');
      this.pending.delete(id);
      this.skipLeft = length - 9 - size;
      if (size === 0) return pending.done(new SftpChannelError('End of file', STATUS_EOF), 0);
      this.copy = { read: pending, at: pending.offset, left: size, total: size };
      return;
    }
    this.bodyType = type;
    this.bodyId = id;
    if (type === FXP.VERSION) {
      // What sits where other answers carry a request id is VERSION's protocol version: keep it in the body.
      this.body = Buffer.allocUnsafe(length - 1);
      this.head.copy(this.body, 0, 5, 9);
      this.bodyFilled = 4;
    } else {
      this.body = Buffer.allocUnsafe(length - 5);
      this.bodyFilled = 0;
    }
    if (this.bodyFilled === this.body.length) {
      const body = this.body;
      this.body = null;
      this.dispatch(type, id, body);
    }
  }

  private dispatch(type: number, id: number, body: Buffer): void {
    if (type === FXP.VERSION) {
      const onVersion = this.onVersion;
      this.onVersion = null;
      onVersion?.(parseExtensions(body));
      return;
    }
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    if (pending.kind === 'reply') return pending.done(null, type, body);
    if (type === FXP.STATUS) {
      const status = parseStatus(body);
      // A read at or past the end answers EOF: that is zero bytes, not a failure.
      if (status.code === STATUS_EOF) return pending.done(null, 0);
      return pending.done(new SftpChannelError(status.message, status.code), 0);
    }
    pending.done(new SftpChannelError(`Unexpected answer ${type} to READ`), 0);
  }

  private shutdown(message: string): void {
    if (this.closedWith) return;
    this.closedWith = new SftpChannelError(message);
    const pending = [...this.pending.values()];
    this.pending.clear();
    this.copy = null;
    for (const request of pending) {
      if (request.kind === 'read') request.done(this.closedWith, 0);
      else request.done(this.closedWith, 0, Buffer.alloc(0));
    }
    this.stream.destroy();
  }
}

function uint32(value: number): Buffer {
  const buffer = Buffer.allocUnsafe(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
}

function uint64(value: number): Buffer {
  const buffer = Buffer.allocUnsafe(8);
  buffer.writeBigUInt64BE(BigInt(value));
  return buffer;
}

function string(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([uint32(bytes.length), bytes]);
}

function parseStatus(body: Buffer): { code: number; message: string } {
  const code = body.readUInt32BE(0);
  const messageLength = body.length >= 8 ? body.readUInt32BE(4) : 0;
  return { code, message: body.subarray(8, 8 + messageLength).toString('utf8') };
}

function parseAttributes(body: Buffer): RemoteAttributes {
  const flags = body.readUInt32BE(0);
  let p = 4;
  let size = 0;
  let mode = 0;
  if (flags & ATTR.SIZE) {
    size = Number(body.readBigUInt64BE(p));
    p += 8;
  }
  if (flags & ATTR.UIDGID) p += 8;
  let mtime: number | null = null;
  if (flags & ATTR.PERMISSIONS) {
    mode = body.readUInt32BE(p);
    p += 4;
  }
  // ACMODTIME is atime then mtime, each a uint32.
  if (flags & ATTR.ACMODTIME && p + 8 <= body.length) mtime = body.readUInt32BE(p + 4);
  return { size, mode, mtime };
}

function parseExtensions(body: Buffer): Map<string, Buffer> {
  const extensions = new Map<string, Buffer>();
  let p = 4;
  while (p + 4 <= body.length) {
    const nameLength = body.readUInt32BE(p);
    const name = body.subarray(p + 4, p + 4 + nameLength).toString('latin1');
    p += 4 + nameLength;
    if (p + 4 > body.length) break;
    const dataLength = body.readUInt32BE(p);
    extensions.set(name, body.subarray(p + 4, p + 4 + dataLength));
    p += 4 + dataLength;
  }
  return extensions;
}
