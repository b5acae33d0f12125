import type { Executor } from '../executor';
import type { StoreMigration } from './storeMigration';

/**
 * The console nodes on one database and which of them leads: written by each node when it starts and
 * stands by, and by the node holding the leader lock when it takes it (and at every heartbeat), so that a
 * standby can say who leads and a new leader can tell a takeover from its own restart.
 */
export const consoleNode: StoreMigration = {
  name: '017_console_node',
  async up(db: Executor): Promise<void> {
    await db.schema
      .createTable('console_node')
      .addColumn('name', 'text', (col) => col.primaryKey())
      .addColumn('web_url', 'text', (col) => col.notNull())
      .addColumn('ap_url', 'text')
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('started_at', 'text', (col) => col.notNull())
      .addColumn('leading_since', 'text')
      .addColumn('last_seen', 'text', (col) => col.notNull())
      .execute();
  },
};
