import { formatDateTimeWithZone } from '../../lib/dateTime';
import { ConfigError } from '../config';
import { installGracefulStop } from '../gracefulStop';
import { consoleNodeRows, type ConsoleNodeRecord } from '../store/consoleNodeRepository';
import type { Executor } from '../store/executor';
import { NodeSession } from '../store/postgres/nodeSession';

/**
 * What a node's `console_node` row says must be true of the node: the row is one node's (its name is held
 * by that node's PostgreSQL session, server/store/postgres/nodeSession.ts, before it writes anything under
 * it), it says `stopped` once the node stops gracefully, standing by or leading, and a row whose node was
 * killed hard is read as what it is: a node last seen some time ago, not one that stands by or leads.
 */

/**
 * Takes this node's name on the database, before the node writes anything under it. While another session
 * holds the name, it asks again every `retryMs` for up to `deadPeerMs`: a node of this name that has just
 * died (killed, or its lock connection lost and restarted at once by its supervisor) holds it until the
 * server ends its session, which the session's keepalives bound by about that. Still held then, the name
 * is a running node's: refused with what that node said of itself, as a configuration error, since only
 * giving this node another name (or stopping the other) lets it start.
 */
export async function claimNodeName(
  db: Executor,
  url: string,
  name: string,
  timings: { retryMs: number; deadPeerMs: number },
  log: (line: string) => void = (line) => console.log(line),
): Promise<NodeSession> {
  const deadline = Date.now() + timings.deadPeerMs;
  for (let tries = 0; ; tries++) {
    const session = await NodeSession.claim(url, name, { deadPeerMs: timings.deadPeerMs });
    if (session) return session;
    if (Date.now() >= deadline) break;
    if (tries === 0) log(`node ${name}: another session on this database holds the name ${name}; asking again for up to ${Math.ceil(timings.deadPeerMs / 1000)} s, in case its node has just stopped`);
    await new Promise((resolve) => setTimeout(resolve, timings.retryMs));
  }
  throw new ConfigError(nameTakenSentence(name, await consoleNodeRows.named(db, name)));
}

/** `Another console node named B is running on this database (its console at …, last seen …); give this node its own EWC_NODE_NAME` */
export function nameTakenSentence(name: string, holder: ConsoleNodeRecord | null): string {
  // Between taking its name and writing its row, the running node has not said where its console is yet.
  const about = holder ? ` (its console at ${holder.webUrl}, last seen ${formatDateTimeWithZone(holder.lastSeen, { timeZone: 'UTC' })})` : '';
  return `Another console node named ${name} is running on this database${about}; give this node its own EWC_NODE_NAME`;
}

/**
 * SIGTERM or SIGINT while the node stands by (its console, with the full graceful stop, starts only once it
 * leads): it leads no more, its row says `stopped`, and its session ends, freeing its name for a node
 * started again under it. Answers the function that removes this stop, once the node leads.
 */
export function stopWhileStandingBy(node: { name: string; db: Executor; session: NodeSession }, log: (line: string) => void = (line) => console.log(line)): () => void {
  return installGracefulStop(async (reason) => {
    node.session.retire();
    // The row first, the name last: a node that starts under this name once it is free finds the row already stopped, and writes its own.
    await consoleNodeRows.stopped(node.db, node.name);
    await node.session.end();
    log(`node ${node.name}: stopped while standing by (${reason})`);
  });
}

/**
 * Whole seconds since a node last refreshed its row, when that is longer than the leader timeout; null while
 * the row is fresh. A running node refreshes `last_seen` several times within the timeout (the leader every
 * third of it, a standby every fifth), so a row older than that is a node that was killed or stopped
 * answering, whatever its role says. The age is read against this node's clock: nodes on one database
 * keep their clocks in step (NTP), and the timeout leaves them two thirds of it to differ by.
 */
export function unseenForS(node: { lastSeen: string }, leaderTimeoutMs: number, now = Date.now()): number | null {
  const unseenMs = now - Date.parse(node.lastSeen);
  return unseenMs > leaderTimeoutMs ? Math.floor(unseenMs / 1000) : null;
}
