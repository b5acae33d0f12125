import type { AuthSessionTable } from './schema';
import type { Executor } from './store';

/** A session as stored: the hash of its id, never the id. */
export interface StoredSession {
  idHash: string;
  username: string;
  createdMs: number;
  lastSeenMs: number;
}

const toSession = (row: AuthSessionTable): StoredSession => ({ idHash: row.id_hash, username: row.username, createdMs: row.created_ms, lastSeenMs: row.last_seen_ms });

/** The sessions table. Times are epoch milliseconds, compared arithmetically on every request. */
export const sessionRows = {
  async insert(db: Executor, session: StoredSession): Promise<void> {
    await db.insertInto('auth_session').values({ id_hash: session.idHash, username: session.username, created_ms: session.createdMs, last_seen_ms: session.lastSeenMs }).execute();
  },

  /**
   * Slides a live session's last use to `at`, in one statement (every request runs it): the session
   * as it is now, or null when there is none with this hash that was seen after `seenAfter` and created after `createdAfter`.
   */
  async slide(db: Executor, idHash: string, at: number, seenAfter: number, createdAfter: number): Promise<StoredSession | null> {
    const row = await db
      .updateTable('auth_session')
      .set({ last_seen_ms: at })
      .where('id_hash', '=', idHash)
      .where('last_seen_ms', '>', seenAfter)
      .where('created_ms', '>', createdAfter)
      .returningAll()
      .executeTakeFirst();
    return row ? toSession(row) : null;
  },

  /** Ends one session; returns it when it existed. */
  async delete(db: Executor, idHash: string): Promise<StoredSession | null> {
    const row = await db.deleteFrom('auth_session').where('id_hash', '=', idHash).returningAll().executeTakeFirst();
    return row ? toSession(row) : null;
  },

  /** Ends every session of a user but the one named by `keepIdHash`; returns those ended. */
  async deleteForUser(db: Executor, username: string, keepIdHash: string | null): Promise<StoredSession[]> {
    let query = db.deleteFrom('auth_session').where('username', '=', username);
    if (keepIdHash !== null) query = query.where('id_hash', '!=', keepIdHash);
    return (await query.returningAll().execute()).map(toSession);
  },

  /** Deletes every session last seen at or before `seenBy` or created at or before `createdBy`; returns them. */
  async deleteExpired(db: Executor, seenBy: number, createdBy: number): Promise<StoredSession[]> {
    const rows = await db
      .deleteFrom('auth_session')
      .where((eb) => eb.or([eb('last_seen_ms', '<=', seenBy), eb('created_ms', '<=', createdBy)]))
      .returningAll()
      .execute();
    return rows.map(toSession);
  },
};
