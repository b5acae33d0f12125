import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// The database holds password hashes and sealed secrets; the data folder also holds the secret key.
// Only the console's own user may read any of it, whatever the umask, and an older install is tightened on start.
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

function makePrivate(file: string, mode: number): void {
  if (fs.existsSync(file) && (fs.statSync(file).mode & 0o777) !== mode) fs.chmodSync(file, mode);
}

/** Opens (creating if needed) the console's database file and brings its schema up to date. */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
  makePrivate(dataDir, PRIVATE_DIR);
  const file = path.join(dataDir, 'ewc.sqlite');
  // Created empty with mode 0600 before SQLite opens it: SQLite gives the -wal and -shm files the database file's mode.
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  for (const existing of [file, `${file}-wal`, `${file}-shm`]) makePrivate(existing, PRIVATE_FILE);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT name FROM schema_migration').pluck().all() as string[]);
  const pending = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql') && !applied.has(f))
    .sort();
  for (const file of pending) {
    const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)').run(file, new Date().toISOString());
    })();
  }
}
