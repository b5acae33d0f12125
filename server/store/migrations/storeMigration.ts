import type { Executor } from '../executor';
import type { SchemaDialect } from './schemaDialect';

/** One change of the schema, written once for both engines with Kysely's schema builder. */
export interface StoreMigration {
  /** Recorded in `schema_migration` once applied; sorted names give the order. */
  name: string;
  up(db: Executor, dialect: SchemaDialect): Promise<void>;
}
