import type { Executor } from '../executor';
import { localeAndSentences } from './014_localeAndSentences';
import { sharedTrust } from './015_sharedTrust';
import { pauseSentence } from './016_pauseSentence';
import { consoleNode } from './017_consoleNode';
import { consoleNodeCliUrl } from './018_consoleNodeCliUrl';
import { upgradeRunProgress } from './019_upgradeRunProgress';
import { baseline } from './baseline';
import type { SchemaDialect } from './schemaDialect';
import type { StoreMigration } from './storeMigration';

/** What migrating needs of the store: its database, and a transaction on it. */
interface MigrationTarget {
  readonly db: Executor;
  transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T>;
}

/**
 * Every migration, in order. A new one goes at the end, named after the last (`020_…` next), and runs on
 * databases of both engines, those made by the baseline and old SQLite installs alike.
 */
export const MIGRATIONS: readonly StoreMigration[] = [baseline, localeAndSentences, sharedTrust, pauseSentence, consoleNode, consoleNodeCliUrl, upgradeRunProgress];

/**
 * Brings the schema up to date: each pending migration and its `schema_migration` row in one transaction,
 * under the dialect's migration lock. An old SQLite install has already finished its legacy SQL files
 * and recorded the baseline as applied (sqlite/legacyMigrations.ts) by the time this runs.
 */
export async function migrate(store: MigrationTarget, dialect: SchemaDialect): Promise<void> {
  await dialect.prepare(store.db);
  await store.db.schema
    .createTable('schema_migration')
    .ifNotExists()
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('applied_at', 'text', (col) => col.notNull())
    .execute();
  for (const migration of MIGRATIONS) {
    await store.transaction(async (tx) => {
      await dialect.lockMigrations(tx);
      const applied = await tx.selectFrom('schema_migration').select('name').where('name', '=', migration.name).executeTakeFirst();
      if (applied) return;
      await migration.up(tx, dialect);
      await tx.insertInto('schema_migration').values({ name: migration.name, applied_at: new Date().toISOString() }).execute();
    });
  }
}
