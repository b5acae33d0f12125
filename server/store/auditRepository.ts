import type { AuditLogTable } from './schema';
import type { Executor } from './store';

/** An audit row as written (`id` numbered by the database). */
export type AuditRow = Omit<AuditLogTable, 'id'> & { id: number };

/** The audit trail's table: appended to, read newest first or whole. */
export const auditRows = {
  async insert(db: Executor, row: Omit<AuditRow, 'id'>): Promise<AuditRow> {
    return db.insertInto('audit_log').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** The most recent rows, oldest first. */
  async recent(db: Executor, limit: number): Promise<AuditRow[]> {
    return (await db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).execute()).reverse();
  },

  /** Every row, oldest first. */
  async all(db: Executor): Promise<AuditRow[]> {
    return db.selectFrom('audit_log').selectAll().orderBy('id').execute();
  },
};
