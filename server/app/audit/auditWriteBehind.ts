import { auditRows, type AuditRow } from '../../store/auditRepository';
import type { PendingBatch, PendingSource, UnitOfWork } from '../../store/unitOfWork';
import type { AuditLog, AuditRecord } from './auditLog';

/**
 * Audit lines of changes that live in the in-memory projections (the upgrade's stage, the rollout, an AP's
 * status, a schedule): staged here, they are written by the unit of work's next flush in the same
 * transaction as the change they record, so neither is ever committed without the other. A use case
 * stages its line synchronously after the change and before it awaits `flush()`.
 */
export class AuditWriteBehind implements PendingSource {
  private pending: Omit<AuditRow, 'id'>[] = [];

  constructor(
    private readonly audit: AuditLog,
    private readonly unitOfWork: UnitOfWork,
  ) {
    unitOfWork.register(this);
  }

  stage(record: AuditRecord): void {
    this.pending.push(this.audit.rowOf(record));
    this.unitOfWork.changed();
  }

  /**
   * Runs a change on the projections (synchronous, so nothing else runs between its check and its audit
   * line), stages the lines that record it, and resolves once one flush has committed them all. A change
   * that throws stages nothing.
   */
  async changeAudited<T>(change: () => T, lines: (value: T) => AuditRecord[]): Promise<T> {
    const value = change();
    for (const record of lines(value)) this.stage(record);
    await this.unitOfWork.flush();
    return value;
  }

  take(): PendingBatch | null {
    if (this.pending.length === 0) return null;
    const rows = this.pending;
    this.pending = [];
    return {
      write: async (tx) => {
        for (const row of rows) await auditRows.insert(tx, row);
      },
      restore: () => {
        this.pending = [...rows, ...this.pending];
      },
    };
  }
}
