import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../store/database';

/** A real database file in its own temp dir, with every migration applied, for one test. */
export function openTestDatabase(): { db: Db; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-auth-'));
  const db = openDatabase(dir);
  return {
    db,
    dispose: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
