import { sql, type RawBuilder } from 'kysely';

// Both engines bind a limited number of parameters per statement (SQLite 32,766, PostgreSQL 65,535):
// a multi-row statement carries at most this many.
const PARAMETERS_PER_STATEMENT = 10_000;

/** Rows in runs that fit one multi-row statement of `columns` columns each. */
export function statementRuns<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / columns));
  const runs: T[][] = [];
  for (let start = 0; start < rows.length; start += size) runs.push(rows.slice(start, start + size));
  return runs;
}

/** An upsert's `DO UPDATE SET column = excluded.column` for each column, as both engines write it. */
export function fromExcluded<C extends string>(columns: readonly C[]): Record<C, RawBuilder<never>> {
  // Typed `never`: the value is the column's own, whatever its type.
  return Object.fromEntries(columns.map((column) => [column, sql.ref<never>(`excluded.${column}`)])) as Record<C, RawBuilder<never>>;
}
