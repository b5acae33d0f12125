import type { ConsoleNodeTable } from './schema';
import { forUpdate, inTransaction, type Executor } from './store';

/** A console node as the others see it (the `console_node` row). */
export interface ConsoleNodeRecord {
  name: string;
  webUrl: string;
  apUrl: string | null;
  /** `ssh://HOST:PORT` of its CLI, once it leads and listens. */
  cliUrl: string | null;
  role: ConsoleNodeTable['role'];
  startedAt: string;
  leadingSince: string | null;
  lastSeen: string;
}

const toRecord = (row: ConsoleNodeTable): ConsoleNodeRecord => ({
  name: row.name,
  webUrl: row.web_url,
  apUrl: row.ap_url,
  cliUrl: row.cli_url,
  role: row.role,
  startedAt: row.started_at,
  leadingSince: row.leading_since,
  lastSeen: row.last_seen,
});

/**
 * The nodes on one database and which one leads. Only the node holding the leader lock writes `leader`
 * (server/cluster/nodeLeadership.ts), so at most one row says it; a node that stops gracefully (leading or
 * standing by) or is taken over from says `stopped`. A row is one node's: a node writes it only once its
 * session holds the name (server/cluster/nodeName.ts). A node killed hard keeps its last role, with a
 * `last_seen` that no longer moves, which is how its readers tell it (nodeName.ts's `unseenForS`).
 */
export const consoleNodeRows = {
  /** This node started and waits for the lock (or runs alone): its row, as a standby. */
  async standingBy(db: Executor, node: { name: string; webUrl: string; startedAt: string }): Promise<void> {
    const now = new Date().toISOString();
    await db
      .insertInto('console_node')
      .values({ name: node.name, web_url: node.webUrl, ap_url: null, cli_url: null, role: 'standby', started_at: node.startedAt, leading_since: null, last_seen: now })
      .onConflict((conflict) => conflict.column('name').doUpdateSet({ web_url: node.webUrl, ap_url: null, cli_url: null, role: 'standby', started_at: node.startedAt, last_seen: now }))
      .execute();
  },

  /** The row of the node of that name, if it ever started on this database. */
  async named(db: Executor, name: string): Promise<ConsoleNodeRecord | null> {
    const row = await db.selectFrom('console_node').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toRecord(row) : null;
  },

  /** The node that says it leads, if any. */
  async leader(db: Executor): Promise<ConsoleNodeRecord | null> {
    const row = await db.selectFrom('console_node').selectAll().where('role', '=', 'leader').orderBy('leading_since', 'desc').executeTakeFirst();
    return row ? toRecord(row) : null;
  },

  /**
   * This node took the leader lock: it leads from now, and a node still said to lead (its lock is gone, so
   * it leads no more) is `stopped`. Answers the node that led last, stopped or killed (this one, after a
   * restart), or null when none ever led.
   */
  async takeLead(db: Executor, name: string): Promise<string | null> {
    return inTransaction(db, async (tx) => {
      const last = forUpdate(tx, tx.selectFrom('console_node').select('name').where('leading_since', 'is not', null).orderBy('leading_since', 'desc'));
      const before = await last.executeTakeFirst();
      const now = new Date().toISOString();
      await tx.updateTable('console_node').set({ role: 'stopped' }).where('role', '=', 'leader').where('name', '!=', name).execute();
      await tx.updateTable('console_node').set({ role: 'leader', leading_since: now, last_seen: now }).where('name', '=', name).execute();
      return before?.name ?? null;
    });
  },

  /** Where this node's console, AP port and CLI answer, once they listen. */
  async listening(db: Executor, name: string, urls: { webUrl: string; apUrl: string; cliUrl: string }): Promise<void> {
    await db.updateTable('console_node').set({ web_url: urls.webUrl, ap_url: urls.apUrl, cli_url: urls.cliUrl }).where('name', '=', name).execute();
  },

  async seen(db: Executor, name: string): Promise<void> {
    await db.updateTable('console_node').set({ last_seen: new Date().toISOString() }).where('name', '=', name).execute();
  },

  /** This node stopped gracefully, at this time (`last_seen`). */
  async stopped(db: Executor, name: string): Promise<void> {
    await db.updateTable('console_node').set({ role: 'stopped', last_seen: new Date().toISOString() }).where('name', '=', name).execute();
  },

  async all(db: Executor): Promise<ConsoleNodeRecord[]> {
    return (await db.selectFrom('console_node').selectAll().orderBy('name').execute()).map(toRecord);
  },
};
