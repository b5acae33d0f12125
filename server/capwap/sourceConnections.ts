import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { plainAddress } from '../../lib/netAddress';
import type { EventLine } from '../store/eventLog';
import type { DropReport } from '../diagnostics/dropReport';

export interface ApPortLimits {
  /** TCP connections one source address may hold on the AP port, joined APs included. */
  connectionsPerSource: number;
  /** Connections of one source address whose TLS handshake has not finished yet. */
  handshakesPerSource: number;
  /** A TLS handshake not finished within this after the connection is accepted is cut (Node's own deadline is 120 s). */
  handshakeTimeoutMs: number;
}

interface SourceCount {
  connections: number;
  handshaking: number;
}

const joinLine = (text: string): EventLine => ({ severity: 'warning', facility: 'CAPWAPAC_SMGR_TRACE_MESSAGE-5-AP_JOIN_DISJOIN', text });

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * The AP port's per-source accounting: a connection over either cap is closed as soon as it is
 * accepted, before any TLS work, and a handshake that has not finished by its deadline is cut, so idle or
 * half-open connections from one address cannot hold the port's descriptors while real APs join.
 * Every closed connection is counted and reported like the other drops.
 */
export class SourceConnections {
  private readonly sources = new Map<string, SourceCount>();
  // Connections whose TLS handshake is under way, by peer address and port (what the TLS socket reports too).
  private readonly handshaking = new Map<string, () => void>();

  constructor(
    private readonly limits: ApPortLimits,
    private readonly drops: DropReport,
  ) {}

  /** For the server's `connection` event (the raw TCP socket): counts it, or closes it when its source is over a cap. */
  accepted(socket: Socket): void {
    const source = plainAddress(socket.remoteAddress);
    const count = this.sources.get(source) ?? { connections: 0, handshaking: 0 };
    if (count.connections >= this.limits.connectionsPerSource) {
      return this.refuse(socket, 'connections-per-source', source, `more than ${this.limits.connectionsPerSource} connections from one address (EWC_AP_CONNECTIONS_PER_SOURCE)`);
    }
    if (count.handshaking >= this.limits.handshakesPerSource) {
      return this.refuse(socket, 'handshakes-per-source', source, `more than ${this.limits.handshakesPerSource} unfinished TLS handshakes from one address (EWC_AP_HANDSHAKES_PER_SOURCE)`);
    }
    count.connections += 1;
    count.handshaking += 1;
    this.sources.set(source, count);
    const key = peerKey(socket);
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      count.handshaking -= 1;
      this.handshaking.delete(key);
    };
    const deadline = setTimeout(() => {
      const why = `no TLS handshake within ${seconds(this.limits.handshakeTimeoutMs)} (EWC_AP_HANDSHAKE_TIMEOUT_MS)`;
      this.drops.drop(
        'handshake-timeout',
        () => joinLine(`AP port connection from ${source} closed: ${why}`),
        (more) => joinLine(`${more} more AP port connection(s) closed: ${why}`),
      );
      socket.destroy();
    }, this.limits.handshakeTimeoutMs);
    deadline.unref();
    this.handshaking.set(key, finish);
    socket.once('close', () => {
      finish();
      count.connections -= 1;
      if (count.connections === 0) this.sources.delete(source);
    });
  }

  /** For `secureConnection`: the handshake finished, so the connection no longer counts as unfinished. */
  secured(tlsSocket: TLSSocket): void {
    this.handshaking.get(peerKey(tlsSocket))?.();
  }

  private refuse(socket: Socket, kind: string, source: string, why: string): void {
    this.drops.drop(
      kind,
      () => joinLine(`AP port connection from ${source} refused: ${why}`),
      (more) => joinLine(`${more} more AP port connection(s) refused: ${why}`),
    );
    socket.destroy();
  }
}

function peerKey(socket: Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}
