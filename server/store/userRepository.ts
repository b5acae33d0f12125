import { isLocale, type Locale } from '../../lib/locale';
import type { Role, UserView } from '../../lib/validations/authSchemas';
import type { AuthUserTable } from './schema';
import type { Executor } from './store';

export interface UserRecord extends UserView {
  passwordHash: string;
  /** The page's language the account chose last; null until it picks one. */
  locale: Locale | null;
}

function toRecord(row: AuthUserTable): UserRecord {
  return {
    username: row.username,
    role: row.role,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    passwordChangedAt: row.password_changed_at,
    locale: isLocale(row.locale) ? row.locale : null,
  };
}

export function toUserView({ username, role, createdAt, passwordChangedAt }: UserRecord): UserView {
  return { username, role, createdAt, passwordChangedAt };
}

/** Console accounts. Names compare case-insensitively (the column's type says so); the spelling given at creation is kept for display. */
export class UserRepository {
  constructor(private readonly now: () => number = Date.now) {}

  async find(db: Executor, username: string): Promise<UserRecord | null> {
    const row = await db.selectFrom('auth_user').selectAll().where('username', '=', username).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(db: Executor): Promise<UserRecord[]> {
    return (await db.selectFrom('auth_user').selectAll().orderBy('username').execute()).map(toRecord);
  }

  async count(db: Executor): Promise<number> {
    const row = await db
      .selectFrom('auth_user')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async countAdmins(db: Executor): Promise<number> {
    const row = await db
      .selectFrom('auth_user')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** The new account, or null when the name (in any case) is taken. */
  async insert(db: Executor, username: string, role: Role, passwordHash: string): Promise<UserRecord | null> {
    const at = new Date(this.now()).toISOString();
    const row = await db
      .insertInto('auth_user')
      .values({ username, role, password_hash: passwordHash, created_at: at, password_changed_at: at })
      .onConflict((conflict) => conflict.column('username').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async setPasswordHash(db: Executor, username: string, passwordHash: string): Promise<void> {
    const at = new Date(this.now()).toISOString();
    await db.updateTable('auth_user').set({ password_hash: passwordHash, password_changed_at: at }).where('username', '=', username).execute();
  }

  /** Replaces a hash made with old parameters; the password itself did not change. */
  async upgradePasswordHash(db: Executor, username: string, passwordHash: string): Promise<void> {
    await db.updateTable('auth_user').set({ password_hash: passwordHash }).where('username', '=', username).execute();
  }

  async setRole(db: Executor, username: string, role: Role): Promise<void> {
    await db.updateTable('auth_user').set({ role }).where('username', '=', username).execute();
  }

  /** Remembers the account's language for the page; false when there is no such account. */
  async setLocale(db: Executor, username: string, locale: Locale): Promise<boolean> {
    const result = await db.updateTable('auth_user').set({ locale }).where('username', '=', username).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(db: Executor, username: string): Promise<boolean> {
    const result = await db.deleteFrom('auth_user').where('username', '=', username).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
