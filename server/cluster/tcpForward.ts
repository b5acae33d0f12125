import { connect, createServer, type Socket } from 'node:net';
import { listenOn } from './listenOn';
import type { SourcePreambleProof } from './sourcePreamble';
import { plainAddress } from '../../lib/netAddress';

/** How long a client's connection waits for the leader before it is closed: a takeover under way, a leader gone. */
export const LEADER_WAIT_MS = 5_000;
const RETRY_MS = 500;

export interface TcpTarget {
  host: string;
  port: number;
}

export interface TcpForwardOptions {
  /** This node's name, said in the preamble. */
  node: string;
  proof: SourcePreambleProof;
  /** Where a connection goes now (the leader's port, read at each attempt); null while none is known. */
  target(): TcpTarget | null;
  /** Told once per connection the leader never took, with the client's address. */
  gaveUp?(client: string): void;
}

export interface TcpForward {
  port: number;
  /** Stops listening and ends every connection it passes on: this node leads now (its own server takes the port), or stops. */
  close(): Promise<void>;
}

/**
 * A port of a node that does not lead, passing each connection on to the leader's port as bytes, after a
 * preamble that proves the client's address (sourcePreamble.ts): the client's protocol (SSH) runs end to end
 * with the leader, this node reads none of it. While no leader takes the connection (none known, refused, no
 * answer) it is tried again for up to LEADER_WAIT_MS and then closed without a byte sent to the client.
 */
export function listenTcpForward(host: string, port: number, options: TcpForwardOptions): Promise<TcpForward> {
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
  };
  const server = createServer({ pauseOnConnect: true }, (client) => {
    track(client);
    const source = plainAddress(client.remoteAddress);
    const deadline = Date.now() + LEADER_WAIT_MS;
    const retry = () => {
      if (client.destroyed) return;
      if (Date.now() + RETRY_MS >= deadline) {
        options.gaveUp?.(source);
        // Closed in order (what the client sent is read and dropped first), so the client sees its connection closed rather than reset.
        client.on('data', () => undefined);
        client.resume();
        client.end();
        setTimeout(() => client.destroy(), RETRY_MS).unref();
        return;
      }
      setTimeout(attempt, RETRY_MS).unref();
    };
    const attempt = () => {
      const target = options.target();
      if (client.destroyed) return;
      if (!target) return retry();
      const upstream = connect({ host: target.host, port: target.port });
      track(upstream);
      let connected = false;
      // A frozen host drops the SYN rather than refusing it.
      const unanswered = setTimeout(() => upstream.destroy(new Error('no answer')), Math.max(1, deadline - Date.now()));
      upstream.once('connect', () => {
        clearTimeout(unanswered);
        if (client.destroyed) return upstream.destroy();
        connected = true;
        client.once('close', (hadError) => (hadError ? upstream.destroy() : upstream.end()));
        upstream.write(options.proof.line({ node: options.node, address: source }));
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.once('close', (hadError) => {
        clearTimeout(unanswered);
        if (!connected) return retry();
        if (hadError) client.destroy();
      });
    };
    attempt();
  });
  return listenOn(server, host, port).then((listening) => ({
    port: listening,
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        for (const socket of open) socket.destroy();
      }),
  }));
}
