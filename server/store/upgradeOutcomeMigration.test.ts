import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEGACY_MIGRATIONS_DIR as MIGRATIONS } from './sqlite/legacyMigrations';
import { openDataDirStore } from './store';
import { upgradeRows } from './upgradeRepository';

let dir: string;

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 013', () => {
  it('ends the upgrades a later one replaced at Activate: Superseded, by which one, ended when it started', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-migration-'));
    // A database as the console before 011 left it: upgrade 1 replaced at Activate by 2, which waits at Activate itself.
    const old = new Database(path.join(dir, 'ewc.sqlite'));
    old.exec('CREATE TABLE schema_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const file of fs
      .readdirSync(MIGRATIONS)
      .filter((f) => f.endsWith('.sql') && f < '011')
      .sort()) {
      old.exec(fs.readFileSync(path.join(MIGRATIONS, file), 'utf8'));
      old.prepare('INSERT INTO schema_migration VALUES (?, ?)').run(file, new Date().toISOString());
    }
    const insert = old.prepare(`INSERT INTO upgrade (stage, last_bar_stage, mode, image_url, parallel_mode, started_at) VALUES (?, 'Activate', 'TFTP', 'tftp://127.0.0.1/EWC', 0, ?)`);
    insert.run('Activate', '2026-01-01T10:00:00.000Z');
    insert.run('Activate', '2026-01-01T11:00:00.000Z');
    old.close();

    const store = await openDataDirStore(dir);
    expect(await upgradeRows.find(store.db, 1)).toMatchObject({
      stage: 'Superseded',
      supersededBy: 2,
      finishedAt: '2026-01-01T11:00:00.000Z',
      message: 'Superseded by upgrade 2 before it was activated',
    });
    expect(await upgradeRows.find(store.db, 2)).toMatchObject({ stage: 'Activate', supersededBy: null, finishedAt: null });
    await store.close();
  });
});
