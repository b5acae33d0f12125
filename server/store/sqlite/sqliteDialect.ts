import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqliteDatabase, type SqliteStatement } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import type { OpenedDialect, SchemaDialect } from '../migrations/schemaDialect';
import type { Database } from '../schema';
import { finishLegacyMigrations } from './legacyMigrations';

/** The console's database file in its data folder. */
export const SQLITE_FILE = 'ewc.sqlite';

// The database holds password hashes and sealed secrets; the data folder also holds the secret key.
// Only the console's own user may read any of it, whatever the umask, and an older install is tightened on start.
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

// Kysely prepares every statement it runs; the console runs the same few hundred texts over and over.
const STATEMENT_CACHE = 500;

function makePrivate(file: string, mode: number): void {
  if (fs.existsSync(file) && (fs.statSync(file).mode & 0o777) !== mode) fs.chmodSync(file, mode);
}

/** better-sqlite3 with its prepared statements kept by text, least recently used dropped first. */
function withStatementCache(raw: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => raw.close(),
    prepare: (text: string) => {
      let statement = statements.get(text);
      if (statement) statements.delete(text);
      else statement = raw.prepare(text) as unknown as SqliteStatement;
      statements.set(text, statement);
      if (statements.size > STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}

/** SQLite's spelling of what the engines spell differently in DDL. */
export const sqliteSchema: SchemaDialect = {
  autoId: (table, column) => table.addColumn(column, 'integer', (col) => col.primaryKey().autoIncrement()),
  caseInsensitiveText: { type: 'text', column: (col) => col.modifyEnd(sql`collate nocase`) },
  // SQLite's INTEGER holds 64 bits.
  bigInteger: 'integer',
  prepare: async () => undefined,
  // One connection, and the file's own lock against another process.
  lockMigrations: async () => undefined,
};

/** Opens the raw file with the console's settings: private modes, write-ahead log, foreign keys enforced. */
export function openSqliteFile(dataDir: string, options: { readonly?: boolean } = {}): BetterSqlite3.Database {
  const file = path.join(dataDir, SQLITE_FILE);
  if (options.readonly) return new BetterSqlite3(file, { readonly: true });
  fs.mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
  makePrivate(dataDir, PRIVATE_DIR);
  // Created empty with mode 0600 before SQLite opens it: SQLite gives the -wal and -shm files the database file's mode.
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  for (const existing of [file, `${file}-wal`, `${file}-shm`]) makePrivate(existing, PRIVATE_FILE);
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  return raw;
}

/** The console's SQLite file through Kysely, an old install's legacy SQL migrations finished first. */
export function openSqlite(dataDir: string): OpenedDialect {
  const raw = openSqliteFile(dataDir);
  try {
    finishLegacyMigrations(raw);
  } catch (error) {
    raw.close();
    throw error;
  }
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) }), schema: sqliteSchema };
}

/** A stopped console's file through Kysely, opened read-only so that reading it changes nothing (no migration either). */
export function openSqliteReadOnly(dataDir: string): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(openSqliteFile(dataDir, { readonly: true })) }) });
}

/** `PRAGMA integrity_check` of a stopped console's file: `ok`, or what is wrong. */
export function checkSqliteIntegrity(dataDir: string): string {
  const raw = openSqliteFile(dataDir, { readonly: true });
  try {
    return raw.pragma('integrity_check', { simple: true }) as string;
  } finally {
    raw.close();
  }
}
