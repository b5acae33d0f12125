import type { Executor } from './store';

/** Failed logins per attempted name and the locks they earned (times are epoch milliseconds). */
export const loginThrottleRows = {
  async lockedUntil(db: Executor, key: string): Promise<number | null> {
    const row = await db.selectFrom('auth_login_lock').select('until_ms').where('key', '=', key).executeTakeFirst();
    return row?.until_ms ?? null;
  },

  /** Records a failure at `at`, forgetting those at or before `windowStart`; answers the failures left in the window. */
  async addFailure(db: Executor, key: string, at: number, windowStart: number): Promise<number> {
    await db.deleteFrom('auth_login_failure').where('key', '=', key).where('time_ms', '<=', windowStart).execute();
    await db.insertInto('auth_login_failure').values({ key, time_ms: at }).execute();
    const row = await db
      .selectFrom('auth_login_failure')
      .select((eb) => eb.fn.countAll<number>().as('failures'))
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  },

  /** Locks the name until `untilMs`; its failures are forgotten, so the count starts over once the lock is served. */
  async lock(db: Executor, key: string, untilMs: number, failures: number): Promise<void> {
    await db.deleteFrom('auth_login_failure').where('key', '=', key).execute();
    await db
      .insertInto('auth_login_lock')
      .values({ key, until_ms: untilMs, failures })
      .onConflict((conflict) => conflict.column('key').doUpdateSet({ until_ms: untilMs, failures }))
      .execute();
  },

  async forget(db: Executor, key: string): Promise<void> {
    await db.deleteFrom('auth_login_failure').where('key', '=', key).execute();
    await db.deleteFrom('auth_login_lock').where('key', '=', key).execute();
  },

  /** Drops failures at or before `failuresBy` and locks that ended by `locksBy`. */
  async prune(db: Executor, failuresBy: number, locksBy: number): Promise<void> {
    await db.deleteFrom('auth_login_failure').where('time_ms', '<=', failuresBy).execute();
    await db.deleteFrom('auth_login_lock').where('until_ms', '<=', locksBy).execute();
  },
};
