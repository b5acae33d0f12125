import { sql } from 'kysely';
import type { Executor } from '../executor';
import type { SchemaDialect } from './schemaDialect';
import type { StoreMigration } from './storeMigration';

/**
 * The last count each AP acknowledged of each image of the running upgrade, kept every few percent and at the
 * end of a transfer: a console that restarts, or a node that takes over, shows it for an AP that has not
 * rejoined yet instead of 0 %. Its rows go with their run.
 */
export const upgradeRunProgress: StoreMigration = {
  name: '019_upgrade_run_progress',
  async up(db: Executor, dialect: SchemaDialect): Promise<void> {
    await db.schema
      .createTable('upgrade_run_progress')
      .addColumn('upgrade_id', 'integer', (col) => col.notNull().references('upgrade_run.upgrade_id').onDelete('cascade'))
      .addColumn('mac', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('ap', 'controller')`))
      .addColumn('bytes', dialect.bigInteger, (col) => col.notNull())
      .addColumn('total', dialect.bigInteger, (col) => col.notNull())
      .addPrimaryKeyConstraint('upgrade_run_progress_pkey', ['upgrade_id', 'mac', 'kind'])
      .execute();
  },
};
