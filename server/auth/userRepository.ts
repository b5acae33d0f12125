import type { Db } from '../store/database';
import type { Role, UserView } from '../../lib/validations/authSchemas';

export interface UserRecord extends UserView {
  passwordHash: string;
}

interface UserRow {
  username: string;
  role: Role;
  password_hash: string;
  created_at: string;
  password_changed_at: string;
}

function toRecord(row: UserRow): UserRecord {
  return { username: row.username, role: row.role, passwordHash: row.password_hash, createdAt: row.created_at, passwordChangedAt: row.password_changed_at };
}

export function toUserView({ username, role, createdAt, passwordChangedAt }: UserRecord): UserView {
  return { username, role, createdAt, passwordChangedAt };
}

/** Console accounts. Names compare case-insensitively; the spelling given at creation is kept for display. */
export class UserRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  find(username: string): UserRecord | null {
    const row = this.db.prepare('SELECT * FROM auth_user WHERE username = ?').get(username) as UserRow | undefined;
    return row ? toRecord(row) : null;
  }

  list(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM auth_user ORDER BY username').all() as UserRow[]).map(toRecord);
  }

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM auth_user').pluck().get() as number;
  }

  countAdmins(): number {
    return this.db.prepare("SELECT COUNT(*) FROM auth_user WHERE role = 'admin'").pluck().get() as number;
  }

  insert(username: string, role: Role, passwordHash: string): UserRecord {
    const at = new Date(this.now()).toISOString();
    this.db.prepare('INSERT INTO auth_user (username, role, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?)').run(username, role, passwordHash, at, at);
    return this.find(username)!;
  }

  setPasswordHash(username: string, passwordHash: string): void {
    const at = new Date(this.now()).toISOString();
    this.db.prepare('UPDATE auth_user SET password_hash = ?, password_changed_at = ? WHERE username = ?').run(passwordHash, at, username);
  }

  /** Replaces a hash made with old parameters; the password itself did not change. */
  upgradePasswordHash(username: string, passwordHash: string): void {
    this.db.prepare('UPDATE auth_user SET password_hash = ? WHERE username = ?').run(passwordHash, username);
  }

  setRole(username: string, role: Role): void {
    this.db.prepare('UPDATE auth_user SET role = ? WHERE username = ?').run(role, username);
  }

  delete(username: string): boolean {
    return this.db.prepare('DELETE FROM auth_user WHERE username = ?').run(username).changes > 0;
  }
}
