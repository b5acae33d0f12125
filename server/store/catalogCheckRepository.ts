import type { Executor } from './store';

/** The last Check for New Version (one row), as JSON. */
export const catalogCheckRows = {
  async last(db: Executor): Promise<string | null> {
    return (await db.selectFrom('catalog_check').select('result').where('id', '=', 1).executeTakeFirst())?.result ?? null;
  },

  async save(db: Executor, checkedAt: string, result: string): Promise<void> {
    await db
      .insertInto('catalog_check')
      .values({ id: 1, checked_at: checkedAt, result })
      .onConflict((conflict) => conflict.column('id').doUpdateSet({ checked_at: checkedAt, result }))
      .execute();
  },
};
