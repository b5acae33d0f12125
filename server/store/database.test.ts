import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { openDataDirStore } from './store';

let dir: string;
let harness: ConsoleHarness | null = null;

afterEach(async () => {
  await harness?.dispose();
  harness = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe('the data folder', () => {
  it('is private to the console user: folder 0700; database, -wal, -shm and secret key 0600', async () => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-perm-')), 'data');
    const umask = process.umask(0o022);
    try {
      harness = await startConsoleHarness({}, dir);
    } finally {
      process.umask(umask);
    }
    const files = ['ewc.sqlite', 'ewc.sqlite-wal', 'ewc.sqlite-shm', 'secret.key'];
    // Each file must exist for its mode to mean anything: the WAL pair exists while the database is open.
    for (const file of files) expect(fs.existsSync(path.join(dir, file)), file).toBe(true);
    expect(modeOf(dir)).toBe(0o700);
    for (const file of files) expect(modeOf(path.join(dir, file)).toString(8), file).toBe('600');
  });

  it('tightens an existing world-readable install when it opens it', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-perm-'));
    await (await openDataDirStore(dir)).close();
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(path.join(dir, 'ewc.sqlite'), 0o644);
    const store = await openDataDirStore(dir);
    await store.db.selectFrom('auth_user').select('username').execute();
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.join(dir, 'ewc.sqlite'))).toBe(0o600);
    expect(modeOf(path.join(dir, 'ewc.sqlite-wal'))).toBe(0o600);
    await store.close();
  });
});
