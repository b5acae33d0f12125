import type { Executor } from '../executor';
import type { StoreMigration } from './storeMigration';

/** Where the leading node's CLI answers (`ssh://HOST:PORT`), which a standby forwards its own CLI port to. */
export const consoleNodeCliUrl: StoreMigration = {
  name: '018_console_node_cli_url',
  async up(db: Executor): Promise<void> {
    await db.schema.alterTable('console_node').addColumn('cli_url', 'text').execute();
  },
};
