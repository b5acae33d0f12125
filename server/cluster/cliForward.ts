import type { ConsoleConfig } from '../config';
import type { NodeLeadership, StandbyStatus } from './nodeLeadership';
import { sourcePreambleProofFor } from './sourcePreamble';
import { listenTcpForward, type TcpForward, type TcpTarget } from './tcpForward';
import { hostAddressClass, hostPort, stripBrackets } from '../../lib/netAddress';

/** The service a CLI connection's preamble names: a preamble made for the CLI is worth nothing at another port. */
export const CLI_SERVICE = 'cli';

/** `ssh://HOST:PORT`, as the leader writes it into its `console_node` row. */
export function cliUrlOf(host: string, port: number): string {
  return `ssh://${hostPort(host, port)}`;
}

/** The leader's CLI address, while another node leads and has said where its CLI listens. */
export function leaderCli(status: StandbyStatus): TcpTarget | null {
  if (status.starting || !status.leader?.cliUrl) return null;
  try {
    const url = new URL(status.leader.cliUrl);
    const host = stripBrackets(url.hostname);
    // A leader listening on every address (HOST 0.0.0.0 or ::) does not say where the others reach it: from here that
    // address would be this very node, whose port would pass each connection on to itself.
    if (hostAddressClass(host) === 'unspecified') return null;
    return { host, port: Number(url.port) };
  } catch {
    return null;
  }
}

/**
 * A standby's CLI port (EWC_CLI_PORT): each connection passed on to the leader's CLI, with the client's address
 * proven (tcpForward.ts). SSH runs end to end between the client and the leader, whose host key every node shares
 * (server/pki/sharedTrust.ts), so `ssh` meets the key it trusted on any node, before and after a takeover. Null
 * on SQLite (one node).
 */
export async function forwardCliToLeader(config: ConsoleConfig, leadership: NodeLeadership): Promise<TcpForward | null> {
  const proof = sourcePreambleProofFor(config, CLI_SERVICE);
  if (!proof || !leadership.shared) return null;
  return listenTcpForward(config.host, config.cliPort, {
    node: leadership.name,
    proof,
    target: () => leaderCli(leadership.status),
    gaveUp: (client) => console.log(`node ${leadership.name}: closed a CLI connection from ${client}: no leader took it`),
  });
}
