import type { TrustedImageDigestTable } from './schema';
import type { Executor } from './store';

/** Admins' trust decisions by source, file name and SHA-256; a decision, once made, is never rewritten. */
export const digestTrustRows = {
  async all(db: Executor): Promise<TrustedImageDigestTable[]> {
    return db.selectFrom('trusted_image_digest').selectAll().orderBy('trusted_at').execute();
  },

  /** Records these decisions; one already made for the same source, name and digest is kept as it was. */
  async insertNew(db: Executor, rows: readonly TrustedImageDigestTable[]): Promise<void> {
    if (rows.length === 0) return;
    await db
      .insertInto('trusted_image_digest')
      .values([...rows])
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  },

  async find(db: Executor, source: string, sha256: string, name: string): Promise<TrustedImageDigestTable | null> {
    return (await db.selectFrom('trusted_image_digest').selectAll().where('source', '=', source).where('sha256', '=', sha256).where('name', '=', name).executeTakeFirst()) ?? null;
  },
};
