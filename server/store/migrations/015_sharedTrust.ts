import type { Executor } from '../executor';
import type { StoreMigration } from './storeMigration';

/**
 * What every console node on one database must hold alike to admit the same APs: the local CA (its key
 * sealed with the secret key), the fleet join token (sealed), and the vendor keys image manifests are
 * verified with. Created on both engines (one schema); a console on SQLite keeps them in its data folder.
 */
export const sharedTrust: StoreMigration = {
  name: '015_shared_trust',
  async up(db: Executor): Promise<void> {
    await db.schema
      .createTable('shared_trust')
      .addColumn('name', 'text', (col) => col.primaryKey())
      .addColumn('value', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createTable('trusted_vendor_key')
      // The SHA-256 of the key (its SubjectPublicKeyInfo, DER): two nodes' different keys under one file name are two keys.
      .addColumn('sha256', 'text', (col) => col.primaryKey())
      .addColumn('file_name', 'text', (col) => col.notNull())
      .addColumn('public_key_pem', 'text', (col) => col.notNull())
      .addColumn('added_at', 'text', (col) => col.notNull())
      .execute();
  },
};
