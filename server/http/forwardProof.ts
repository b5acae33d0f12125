import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { parseSecretKey } from '../secrets/secretBox';

/**
 * The proof a console node that does not lead adds to each request it forwards to the leader
 * (server/cluster/leaderForward.ts): which node forwarded it, for which client address, over which
 * protocol the browser came, when, and an HMAC-SHA256 of these and the request's Host under a key derived
 * from EWC_SECRET_KEY, which every node on the database shares. Only with a valid proof does the leader
 * take the client's address from it (the per-source limiter, audit lines, the Secure cookie) and leave the
 * Host check to the node that forwarded it (which checked the Host against its own names first); any
 * other copy of the header is removed unread. The Host and a 30 s window are in the HMAC, so a captured
 * header serves no other host name, and not for long.
 */
export const FORWARDED_HEADER = 'x-ewc-forwarded';
/** The node that answered a request: set by the leader on every request its gate sees. */
export const NODE_HEADER = 'x-ewc-node';
/** The node a forwarded answer came through: set by the forwarding node. */
export const VIA_HEADER = 'x-ewc-via';

/** How old a node's proof may be (web header or connection preamble): keep the nodes' clocks in step with NTP. */
export const FORWARD_PROOF_WINDOW_S = 30;
const PROOF = /^([A-Za-z0-9._-]{1,63});([0-9A-Fa-f:.]{2,45});(https?);(\d{1,12});([A-Za-z0-9_-]{43})$/;

export interface ForwardedClient {
  /** The node that forwarded the request. */
  node: string;
  /** The address the browser (or script) connected to that node from. */
  address: string;
  /** The browser reached that node over TLS (or through a TLS proxy its admin declared). */
  secure: boolean;
}

/**
 * An HMAC key for what one node proves to another, derived from EWC_SECRET_KEY (hex or base64) with HKDF, one
 * per `purpose`, so that a proof made for one door (a web request, a TCP connection) is worth nothing at another.
 */
export function forwardingKey(secretKey: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', parseSecretKey(secretKey), Buffer.alloc(0), purpose, 32));
}

export class ForwardProof {
  private readonly key: Buffer;

  /** `secretKey`: EWC_SECRET_KEY as configured (hex or base64); the HMAC key is derived from it, never the key itself. */
  constructor(secretKey: string) {
    this.key = forwardingKey(secretKey, 'ewc console node forwarded request');
  }

  /** The header value for a request `client` made to this node under `host` (its Host header, kept as sent). */
  sign(client: ForwardedClient, host: string, nowMs = Date.now()): string {
    const fields = `${client.node};${client.address};${client.secure ? 'https' : 'http'};${Math.floor(nowMs / 1000)}`;
    return `${fields};${this.mac(fields, host)}`;
  }

  /** The client a header value names, when its HMAC holds for `host` and it is recent; null for anything else. */
  verify(value: string, host: string, nowMs = Date.now()): ForwardedClient | null {
    const match = PROOF.exec(value);
    if (!match) return null;
    const [, node, address, proto, seconds, mac] = match;
    if (isIP(address) === 0 || Math.abs(nowMs / 1000 - Number(seconds)) > FORWARD_PROOF_WINDOW_S) return null;
    const expected = Buffer.from(this.mac(`${node};${address};${proto};${seconds}`, host));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return { node, address, secure: proto === 'https' };
  }

  private mac(fields: string, host: string): string {
    return createHmac('sha256', this.key).update(`${fields}\n${host}`).digest('base64url');
  }
}

/** The proof for a console whose database other nodes may share (PostgreSQL, where EWC_SECRET_KEY is required); null alone on SQLite. */
export function forwardProofFor(config: { database: { engine: string }; secretKey: string | undefined }): ForwardProof | null {
  return config.database.engine === 'postgres' && config.secretKey ? new ForwardProof(config.secretKey) : null;
}

const verified = new WeakMap<IncomingMessage, ForwardedClient>();

/**
 * Reads and removes the request's proof header, once: every door (the request gate, RESTCONF, socket.io's
 * handshake) calls it first, and later calls answer what the first found. Without `proof` (SQLite) or
 * without a valid proof the header is dropped and the request is the socket's own.
 */
export function acceptForwarded(req: IncomingMessage, proof: ForwardProof | null): ForwardedClient | null {
  const known = verified.get(req);
  if (known) return known;
  const value = req.headers[FORWARDED_HEADER];
  delete req.headers[FORWARDED_HEADER];
  if (!proof || typeof value !== 'string') return null;
  const client = proof.verify(value, req.headers.host ?? '');
  if (client) verified.set(req, client);
  return client;
}

/** What `acceptForwarded` found on this request earlier, if anything. */
export function forwardedClientOf(req: IncomingMessage): ForwardedClient | null {
  return verified.get(req) ?? null;
}
