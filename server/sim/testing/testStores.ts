import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openStore, type Executor, type Store, type StoreTarget } from '../../store/store';
import { startPostgres, type PostgresServer } from './postgresServer';

export type Engine = StoreTarget['engine'];

/** Both engines the store speaks: store tests run on each (`describe.each(ENGINES)`). */
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

export interface TestStore {
  store: Store;
  db: Executor;
  /** A data folder of its own (SQLite's file is in it; a PostgreSQL store has it for files beside the database). */
  dataDir: string;
}

/** A real SQLite store in a temp data folder, every migration applied; the caller closes it and removes the folder. */
export async function openTestStore(): Promise<TestStore & { dispose(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-store-'));
  const store = await openStore({ engine: 'sqlite', dataDir });
  return {
    store,
    db: store.db,
    dataDir,
    dispose: async () => {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Fresh stores of one engine for the tests of a `describe` block: `open()` gives each test its own empty,
 * migrated database (a new SQLite file, or a new database on a PostgreSQL server the block starts once,
 * on a free loopback port, and stops after). Everything opened is closed after each test.
 */
export function testStores(engine: Engine): { open(): Promise<TestStore>; reopen(previous: TestStore): Promise<TestStore> } {
  let server: PostgresServer | null = null;
  const opened: { store: Store; dataDir: string }[] = [];
  const urls = new Map<Store, string>();
  if (engine === 'postgres') {
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => {
      await server?.stop();
    });
  }
  afterEach(async () => {
    for (const { store, dataDir } of opened.splice(0)) {
      await store.close().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
  const openAt = async (dataDir: string, url: string | null): Promise<TestStore> => {
    const store = await openStore(url === null ? { engine: 'sqlite', dataDir } : { engine: 'postgres', url });
    if (url !== null) urls.set(store, url);
    opened.push({ store, dataDir });
    return { store, db: store.db, dataDir };
  };
  return {
    async open() {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ewc-${engine}-`));
      return openAt(dataDir, server ? await server.createDatabase() : null);
    },
    /** The same database opened again after `previous` is closed: what a restarted console finds. */
    async reopen(previous) {
      await previous.store.close();
      return openAt(previous.dataDir, urls.get(previous.store) ?? null);
    },
  };
}
