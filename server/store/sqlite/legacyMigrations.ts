import type BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { BASELINE_MIGRATION } from '../migrations/baseline';

/**
 * The thirteen SQL files that built every SQLite install before the store spoke two engines. They stay,
 * as they were, for those installs only: an old database finishes the ones it has not applied, and is then
 * recorded as having the baseline, which is the schema they end with. A new database of either engine gets
 * the baseline instead, and every later migration is a Kysely migration for both.
 */
export const LEGACY_MIGRATIONS_DIR = path.join(import.meta.dirname, 'legacy');

export function legacyMigrationFiles(): string[] {
  return fs
    .readdirSync(LEGACY_MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort();
}

/** Runs the legacy files an old install lacks and records the baseline as applied; a new or empty database is left alone. */
export function finishLegacyMigrations(raw: BetterSqlite3.Database): void {
  const table = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'").get();
  if (!table) return;
  const applied = new Set(raw.prepare('SELECT name FROM schema_migration').pluck().all() as string[]);
  // A database the baseline made has no legacy rows.
  if (![...applied].some((name) => name.endsWith('.sql'))) return;
  const record = raw.prepare('INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)');
  for (const file of legacyMigrationFiles().filter((name) => !applied.has(name))) {
    const text = fs.readFileSync(path.join(LEGACY_MIGRATIONS_DIR, file), 'utf8');
    raw.transaction(() => {
      raw.exec(text);
      record.run(file, new Date().toISOString());
    })();
  }
  if (!applied.has(BASELINE_MIGRATION)) record.run(BASELINE_MIGRATION, new Date().toISOString());
}
