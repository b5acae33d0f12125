import { afterAll, beforeAll } from 'vitest';
import { startPostgres, TEST_SECRET_KEY, type PostgresServer } from './postgresServer';

/**
 * A PostgreSQL server for a whole test file, started before its tests and stopped after (as
 * `demoBundleServerForFile` does for tftpd-hpa); `createDatabase()` inside a test gives it a database of its own.
 */
export function postgresServerForFile(): { createDatabase(): Promise<string>; consoleEnv(): Promise<Record<string, string>> } {
  let server: PostgresServer | null = null;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    createDatabase() {
      if (!server) throw new Error('the PostgreSQL server starts in beforeAll: create databases inside a test');
      return server.createDatabase();
    },
    /** A console's environment on a new database of this server: its URL and the secret key every node shares. */
    async consoleEnv() {
      return { EWC_DATABASE_URL: await this.createDatabase(), EWC_SECRET_KEY: TEST_SECRET_KEY };
    },
  };
}
