import { startPostgres, TEST_SECRET_KEY, type PostgresServer } from './postgresServer';

// `EWC_TEST_DATABASE=postgres npx vitest run …` runs a suite's consoles on PostgreSQL: one server per test
// file, started with the file's first console and stopped after its last test; a console restarted on the
// same data folder finds the same database again. Unset, consoles keep the SQLite file in their data folder.
const onPostgres = process.env.EWC_TEST_DATABASE === 'postgres';
let server: Promise<PostgresServer> | null = null;
const databases = new Map<string, string>();

// Vitest only when asked for: the model benchmark runs the harness outside Vitest.
if (onPostgres) {
  const { afterAll } = await import('vitest');
  afterAll(async () => {
    await (await server)?.stop();
  });
}

/** The environment that puts a harness console of this data folder on the suite's database engine. */
export async function harnessDatabaseEnv(dataDir: string): Promise<Record<string, string>> {
  if (!onPostgres) return {};
  server ??= startPostgres();
  let url = databases.get(dataDir);
  if (!url) {
    url = await (await server).createDatabase();
    databases.set(dataDir, url);
  }
  return { EWC_DATABASE_URL: url, EWC_SECRET_KEY: TEST_SECRET_KEY };
}
