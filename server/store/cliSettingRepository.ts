import type { Executor } from './store';

/** Settings of the SSH CLI that are not part of the upgrade profile, by name (`hostname`). */
export const cliSettingRows = {
  async get(db: Executor, key: string): Promise<string | null> {
    return (await db.selectFrom('cli_setting').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
  },

  /** Sets the value, or removes the setting with null. */
  async set(db: Executor, key: string, value: string | null): Promise<void> {
    if (value === null) await db.deleteFrom('cli_setting').where('key', '=', key).execute();
    else
      await db
        .insertInto('cli_setting')
        .values({ key, value })
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ value }))
        .execute();
  },
};
