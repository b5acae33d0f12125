import { readStoppedConsoleRows, type StoppedConsoleRows } from '../stoppedConsoleRows';
import { checkSqliteIntegrity, openSqliteReadOnly } from './sqliteDialect';

/** What a stopped console left in its SQLite file, and SQLite's own check of the file (`ok`, or what is wrong). */
export interface StoppedConsole extends StoppedConsoleRows {
  integrityCheck: string;
}

/** Reads a stopped console's file without changing it. */
export async function readStoppedConsole(dataDir: string): Promise<StoppedConsole> {
  const integrityCheck = checkSqliteIntegrity(dataDir);
  const db = openSqliteReadOnly(dataDir);
  try {
    return { integrityCheck, ...(await readStoppedConsoleRows(db)) };
  } finally {
    await db.destroy();
  }
}
