import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { FORWARD_PROOF_WINDOW_S, forwardingKey } from '../http/forwardProof';
import { plainAddress } from '../../lib/netAddress';

/**
 * The line a console node that does not lead sends first on a TCP connection it forwards to the leader
 * (tcpForward.ts), before the client's own bytes: which port it is for, which node forwarded it, the client's
 * address, when, a nonce, and an HMAC-SHA256 of these under a key derived from EWC_SECRET_KEY (forwardProof.ts's
 * derivation, its own purpose), which every node on the database shares. The leader's port takes the client's
 * address from a valid one (its limiter, its audit trail); a forged, stale or replayed one is refused and the
 * connection closed, and a connection that does not start with the magic is an ordinary client's.
 */
export const PREAMBLE_MAGIC = 'EWC-FORWARDED-TCP/1 ';
// Ample for the longest valid line (an IPv6 address, a 63-character node name): anything longer is refused unread.
const MAX_PREAMBLE_BYTES = 256;
const LINE = /^EWC-FORWARDED-TCP\/1 ([a-z]{1,16}) ([A-Za-z0-9._-]{1,63}) ([0-9A-Fa-f:.]{2,45}) (\d{1,12}) ([A-Za-z0-9_-]{22}) ([A-Za-z0-9_-]{43})\r\n$/;

/** A forwarded connection's true source, as its preamble proved it. */
export interface ProvenSource {
  node: string;
  address: string;
}

export type PreambleVerdict = { ok: true; source: ProvenSource } | { ok: false; reason: string };

export class SourcePreambleProof {
  private readonly key: Buffer;
  /** Nonces of valid preambles, until their window has passed: each is taken once. */
  private readonly seen = new Map<string, number>();

  /** `service`: the port the preambles are for (`cli`); a preamble made for another port is refused. */
  constructor(
    secretKey: string,
    private readonly service: string,
  ) {
    this.key = forwardingKey(secretKey, 'ewc console node forwarded connection');
  }

  /** The line (with its CRLF) for a client that connected to node `source.node` from `source.address`. */
  line(source: ProvenSource, nowMs = Date.now(), nonce = randomBytes(16).toString('base64url')): string {
    const fields = [this.service, source.node, plainAddress(source.address), String(Math.floor(nowMs / 1000)), nonce];
    return `${PREAMBLE_MAGIC}${fields.join(' ')} ${this.mac(fields)}\r\n`;
  }

  /** What a line proves, or why it proves nothing. A valid line is refused the second time (a replay). */
  verify(line: string, nowMs = Date.now()): PreambleVerdict {
    const match = LINE.exec(line);
    if (!match || isIP(match[3]) === 0) return { ok: false, reason: 'is malformed' };
    const [, service, node, address, seconds, nonce, mac] = match;
    const expected = Buffer.from(this.mac([service, node, address, seconds, nonce]));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'has a wrong HMAC (forged, or made with another EWC_SECRET_KEY)' };
    if (service !== this.service) return { ok: false, reason: `was made for another port (${service})` };
    if (Math.abs(nowMs / 1000 - Number(seconds)) > FORWARD_PROOF_WINDOW_S) return { ok: false, reason: `is not from the last ${FORWARD_PROOF_WINDOW_S} s (a replay, or the nodes' clocks differ)` };
    this.forgetExpired(nowMs);
    if (this.seen.has(nonce)) return { ok: false, reason: 'was used before (a replay)' };
    this.seen.set(nonce, (Number(seconds) + FORWARD_PROOF_WINDOW_S + 1) * 1000);
    return { ok: true, source: { node, address } };
  }

  private forgetExpired(nowMs: number): void {
    for (const [nonce, until] of this.seen) if (until < nowMs) this.seen.delete(nonce);
  }

  private mac(fields: readonly string[]): string {
    return createHmac('sha256', this.key).update(fields.join(' ')).digest('base64url');
  }
}

/** The proof for a console whose database other nodes may share (PostgreSQL, where EWC_SECRET_KEY is required); null alone on SQLite. */
export function sourcePreambleProofFor(config: { database: { engine: string }; secretKey: string | undefined }, service: string): SourcePreambleProof | null {
  return config.database.engine === 'postgres' && config.secretKey ? new SourcePreambleProof(config.secretKey, service) : null;
}

/**
 * A socket accepted by the leader's port, as its server should read it: without the preamble, if the
 * connection starts with one, and with `remoteAddress` the proven client's. The server's own first bytes go out
 * at once (an SSH server's version line), so a client that waits for them is served as one that does not. A
 * refused preamble is told to `refused` and the connection closed.
 */
export function acceptForwardedSource(socket: Socket, proof: SourcePreambleProof, refused: (peer: string, reason: string) => void): Socket {
  return new ProvenSourceSocket(socket, proof, refused) as unknown as Socket;
}

class ProvenSourceSocket extends Duplex {
  private proven: ProvenSource | null = null;
  /** The first bytes while they may still be a preamble; null once decided. */
  private pending: Buffer | null = Buffer.alloc(0);

  constructor(
    private readonly socket: Socket,
    private readonly proof: SourcePreambleProof,
    private readonly refused: (peer: string, reason: string) => void,
  ) {
    super();
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => this.push(null));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  get remoteAddress(): string | undefined {
    return this.proven?.address ?? this.socket.remoteAddress;
  }

  get remoteFamily(): string | undefined {
    return this.proven ? (isIP(this.proven.address) === 6 ? 'IPv6' : 'IPv4') : this.socket.remoteFamily;
  }

  get remotePort(): number | undefined {
    return this.proven ? undefined : this.socket.remotePort;
  }

  setNoDelay(noDelay?: boolean): this {
    this.socket.setNoDelay(noDelay);
    return this;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.socket.write(chunk, done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.socket.end();
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.socket.destroy();
    done(error);
  }

  private receive(chunk: Buffer): void {
    if (this.destroyed) return;
    if (this.pending === null) return this.deliver(chunk);
    const buffered = Buffer.concat([this.pending, chunk]);
    const magic = Buffer.from(PREAMBLE_MAGIC, 'latin1');
    const head = buffered.subarray(0, magic.length);
    if (!head.equals(magic.subarray(0, head.length))) {
      this.pending = null;
      return this.deliver(buffered);
    }
    const end = buffered.indexOf(0x0a);
    if (end === -1) {
      if (buffered.length > MAX_PREAMBLE_BYTES) return this.refuse('is too long');
      this.pending = buffered;
      return;
    }
    const verdict = end + 1 > MAX_PREAMBLE_BYTES ? ({ ok: false, reason: 'is too long' } as const) : this.proof.verify(buffered.subarray(0, end + 1).toString('latin1'));
    if (!verdict.ok) return this.refuse(verdict.reason);
    this.proven = verdict.source;
    this.pending = null;
    if (buffered.length > end + 1) this.deliver(buffered.subarray(end + 1));
  }

  private deliver(data: Buffer): void {
    if (!this.push(data)) this.socket.pause();
  }

  private refuse(reason: string): void {
    this.pending = null;
    this.refused(plainAddress(this.socket.remoteAddress), `its forwarding preamble ${reason}`);
    this.destroy();
  }
}
