import type { AuthSshKeyTable } from './schema';
import type { Executor } from './store';

export type SshKeyRow = Omit<AuthSshKeyTable, 'id'> & { id: number };

/** SSH public keys of console accounts (the account's name compares case-insensitively). */
export const sshKeyRows = {
  async ofUser(db: Executor, username: string): Promise<SshKeyRow[]> {
    return db.selectFrom('auth_ssh_key').selectAll().where('username', '=', username).orderBy('id').execute();
  },

  /** The new row, or null when the account already has a key with this fingerprint. */
  async insert(db: Executor, row: Omit<SshKeyRow, 'id'>): Promise<SshKeyRow | null> {
    return (
      (await db
        .insertInto('auth_ssh_key')
        .values(row)
        .onConflict((conflict) => conflict.doNothing())
        .returningAll()
        .executeTakeFirst()) ?? null
    );
  },

  /** Deletes one key of an account; returns it, or null when the account has none with that id. */
  async delete(db: Executor, username: string, id: number): Promise<SshKeyRow | null> {
    return (await db.deleteFrom('auth_ssh_key').where('username', '=', username).where('id', '=', id).returningAll().executeTakeFirst()) ?? null;
  },
};
