/**
 * The store layer: every SQL statement of the console lives under server/store/, written with Kysely so
 * that it runs on SQLite (the embedded default, better-sqlite3) and on PostgreSQL alike.
 *
 * How a transaction is serialised on this asynchronous API:
 * - SQLite: Kysely's SqliteDialect drives the one better-sqlite3 connection behind a mutex.
 *   `store.transaction(work)` holds that mutex from BEGIN to COMMIT, so transactions run one after the
 *   other and a statement outside any transaction waits until the one under way has committed. Two rules
 *   follow. Inside `work`, use only its `tx`: a statement on `store.db` would wait for the mutex the
 *   transaction holds, for ever. And await nothing there but statements: a password hash or a network call
 *   inside a transaction would hold every other query of the console. better-sqlite3 runs each statement
 *   synchronously, so a transaction does not even yield to the event loop between its statements.
 * - Compare-and-set transitions (an AP's status, the upgrade's stage, the rollout, a schedule) do not rely
 *   on the database: they happen synchronously on the in-memory projections, with no await between the
 *   check and the change, so two actors can never both win. The unit of work (unitOfWork.ts) writes what
 *   they changed, everything pending in one transaction per tick; a stage move, Activate's list of Reloading
 *   APs and a change someone is told about await `unitOfWork.flush()` first.
 * - PostgreSQL (several console nodes, next): a pool of connections, each transaction on its own, so what
 *   SQLite's mutex gives for free must be asked for. A row read in order to be changed is locked
 *   (`forUpdate()` below, a no-op on SQLite), and the projections that decide compare-and-set transitions
 *   are changed by one node only: the one holding the leader's advisory lock (`pg_advisory_lock`), which
 *   runs the upgrade; the other nodes read the tables.
 */
import { PostgresAdapter, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Executor } from './executor';
import type { Database } from './schema';
import { migrate } from './migrations/migrate';
import type { OpenedDialect } from './migrations/schemaDialect';

export type { Executor } from './executor';

export type StoreTarget = { engine: 'sqlite'; dataDir: string } | { engine: 'postgres'; url: string };

export interface Store {
  readonly db: Executor;
  readonly engine: StoreTarget['engine'];
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Hooks to run once the transaction they were registered in has committed (see `afterCommit`).
const commitHooks = new WeakMap<Executor, (() => void)[]>();

/**
 * Runs `hook` once what `db` wrote is committed: at once outside a transaction, after the commit inside
 * one (never, when it rolls back). Projections change their memory this way, so that a rolled back
 * change leaves them as the tables are.
 */
export function afterCommit(db: Executor, hook: () => void): void {
  const hooks = commitHooks.get(db);
  if (hooks) hooks.push(hook);
  else hook();
}

/**
 * Runs `work` in a transaction: `db`'s own when it is one (a use case composing several repositories),
 * else a new one, committed when `work` resolves, with its `afterCommit` hooks run after.
 */
export async function inTransaction<T>(db: Executor, work: (tx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  const hooks: (() => void)[] = [];
  const value = await db.transaction().execute((tx) => {
    commitHooks.set(tx, hooks);
    return work(tx);
  });
  for (const hook of hooks) hook();
  return value;
}

/** Locks the rows a transaction reads in order to change them (PostgreSQL); SQLite's one connection already serialises transactions. */
export function forUpdate<DB, TB extends keyof DB, O>(db: Executor, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return db.getExecutor().adapter instanceof PostgresAdapter ? query.forUpdate() : query;
}

class KyselyStore implements Store {
  constructor(
    readonly db: Kysely<Database>,
    readonly engine: StoreTarget['engine'],
  ) {}

  transaction<T>(work: (tx: Executor) => Promise<T>): Promise<T> {
    return inTransaction(this.db, work);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

/** Opens the console's database and brings its schema up to date: the SQLite file in the data folder, or a PostgreSQL URL. */
export async function openStore(target: StoreTarget): Promise<Store> {
  // Each engine's driver is loaded only when it is used.
  const opened: OpenedDialect =
    target.engine === 'sqlite' ? (await import('./sqlite/sqliteDialect')).openSqlite(target.dataDir) : await (await import('./postgres/postgresDialect')).openPostgres(target.url);
  const store = new KyselyStore(opened.db, target.engine);
  try {
    await migrate(store, opened.schema);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** The console's own SQLite file in its data folder: the store it runs on unless told otherwise. */
export function openDataDirStore(dataDir: string): Promise<Store> {
  return openStore({ engine: 'sqlite', dataDir });
}
