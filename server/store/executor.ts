import type { Kysely } from 'kysely';
import type { Database } from './schema';

// A file of its own, imported by the store, its migrations and its dialects alike, so that none of them imports store.ts.
/** Where a query runs: the store's database, or a transaction of it (Kysely's Transaction is a Kysely). */
export type Executor = Kysely<Database>;
