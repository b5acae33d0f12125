import type { ColumnDataType, ColumnDefinitionBuilder, CreateTableBuilder, Expression, Kysely } from 'kysely';
import type { Executor } from '../executor';
import type { Database } from '../schema';

/** A column's type as Kysely's schema builder takes it: a name it knows, or SQL. */
export type DataTypeExpression = ColumnDataType | Expression<unknown>;

/**
 * What the two engines spell differently in DDL, and nothing else: every migration is written once with
 * Kysely's schema builder and asks this for the few column kinds that differ. Each dialect file
 * (sqlite/sqliteDialect.ts, postgres/postgresDialect.ts) implements it.
 */
export interface SchemaDialect {
  /** Adds `column` as an integer primary key the database numbers (and never reuses) when a row gives none. */
  autoId<TB extends string, C extends string>(table: CreateTableBuilder<TB, C>, column: string): CreateTableBuilder<TB, C>;
  /** Text compared without regard to case (user names: "Admin" and "admin" are one account). */
  caseInsensitiveText: { type: DataTypeExpression; column(col: ColumnDefinitionBuilder): ColumnDefinitionBuilder };
  /** Integers past 2^31: byte sizes, epoch milliseconds. */
  bigInteger: DataTypeExpression;
  /** Runs before the first migration (an extension the types above need). */
  prepare(db: Executor): Promise<void>;
  /** Taken inside each migration's transaction, so that two processes never migrate at once. */
  lockMigrations(tx: Executor): Promise<void>;
}

/** What a dialect file hands the store: the database, and what its DDL needs. */
export interface OpenedDialect {
  db: Kysely<Database>;
  schema: SchemaDialect;
}
