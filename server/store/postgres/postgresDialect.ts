import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { OpenedDialect, SchemaDialect } from '../migrations/schemaDialect';
import type { Database } from '../schema';
import { redactedDatabaseUrl } from './databaseUrl';

// node-postgres hands BIGINT (and COUNT(*)) over as text; the console's are epoch milliseconds and byte sizes, well within 2^53.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

// Any constant both the migrations of every node agree on: `pg_advisory_xact_lock` serialises them.
const MIGRATION_LOCK_KEY = 0x65776301;

/** PostgreSQL's spelling of what the engines spell differently in DDL. */
export const postgresSchema: SchemaDialect = {
  // "By default", so that rows the console numbers itself (event lines, upgrades) keep their ids.
  autoId: (table, column) => table.addColumn(column, 'integer', (col) => col.primaryKey().generatedByDefaultAsIdentity()),
  caseInsensitiveText: { type: sql`citext`, column: (col) => col },
  bigInteger: 'bigint',
  prepare: async (db) => {
    await sql`create extension if not exists citext`.execute(db);
  },
  lockMigrations: async (tx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(tx);
  },
};

/**
 * A PostgreSQL database through Kysely (`postgres://user@host:port/db`), reached once before anything
 * else so that a wrong address or password stops the start with a sentence naming the database (its
 * password masked), not with the first migration's error.
 */
export async function openPostgres(url: string): Promise<OpenedDialect> {
  const pool = new pg.Pool({ connectionString: url, types, max: 10 });
  // An idle connection the server ended (a restart, a failover) is dropped by the pool; the next query opens another.
  pool.on('error', (error) => console.error(`PostgreSQL: an idle connection failed: ${error.message}`));
  try {
    (await pool.connect()).release();
  } catch (error) {
    await pool.end();
    throw new Error(`Cannot reach the PostgreSQL database ${redactedDatabaseUrl(url)}: ${(error as Error).message}`);
  }
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), schema: postgresSchema };
}
