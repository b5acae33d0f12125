import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every SQL statement of the console lives under server/store/: that is what lets the store speak a second
// engine, and lets the next engineer find every query in one folder. Tests may read the tables directly.
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SCANNED = ['server', 'lib', 'app', 'components', 'scripts', 'bench'];
const STORE = path.join('server', 'store') + path.sep;
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;
const TEST = /\.(test|spec)\.(ts|tsx)$/;
// Test support (the PostgreSQL cluster the store's tests start, the stores they open) is test code too.
const TEST_SUPPORT = path.join('server', 'sim', 'testing') + path.sep;

/** The database drivers and the query builder: only the store imports them. */
const DRIVER_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"](better-sqlite3|kysely|pg)(?:\/[^'"]*)?['"]/;
/** SQL written out, or built with Kysely's query builder on an executor handed over. */
const SQL = [
  /\b(?:SELECT\s+(?:\*|DISTINCT\b|COUNT\b|\w+\s*(?:,|\bFROM\b|\bAS\b))|INSERT\s+(?:OR\s+\w+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\b|ALTER\s+TABLE\b|DROP\s+TABLE\b|PRAGMA\s+\w+)/,
  /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(/,
];

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

/** The code without its comments, so that a comment may name a table or a statement. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

describe('the store boundary', () => {
  it('keeps every SQL statement and every database driver import under server/store/ (tests aside)', () => {
    const offenders: string[] = [];
    for (const file of SCANNED.flatMap((dir) => sourceFiles(path.join(ROOT, dir)))) {
      const relative = path.relative(ROOT, file);
      if (relative.startsWith(STORE) || relative.startsWith(TEST_SUPPORT) || TEST.test(relative)) continue;
      const code = withoutComments(fs.readFileSync(file, 'utf8'));
      const driver = DRIVER_IMPORT.exec(code);
      if (driver) offenders.push(`${relative}: imports ${driver[1]}`);
      for (const pattern of SQL) {
        const found = pattern.exec(code);
        if (found) offenders.push(`${relative}: ${found[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps what only SQLite understands in the SQLite dialect folder, so every other query runs on PostgreSQL too', () => {
    const offenders: string[] = [];
    const sqliteOnly = /\bPRAGMA\b|\bINSERT\s+OR\b|\browid\b|\bsqlite_\w+|\bcollate\s+nocase\b|\.autoIncrement\(|lastInsertRowid|\.pluck\(|better-sqlite3/i;
    for (const file of sourceFiles(path.join(ROOT, STORE))) {
      const relative = path.relative(ROOT, file);
      if (relative.startsWith(path.join(STORE, 'sqlite') + path.sep) || TEST.test(relative)) continue;
      const found = sqliteOnly.exec(withoutComments(fs.readFileSync(file, 'utf8')));
      if (found) offenders.push(`${relative}: ${found[0]}`);
    }
    expect(offenders).toEqual([]);
  });

  it('finds what it looks for (a check that can fail)', () => {
    expect(DRIVER_IMPORT.test("import Database from 'better-sqlite3';")).toBe(true);
    expect(DRIVER_IMPORT.test("const { Kysely } = await import('kysely');")).toBe(true);
    expect(SQL[0].test("db.prepare('SELECT id FROM upgrade')")).toBe(true);
    expect(SQL[0].test("db.prepare('SELECT mac, upgrade_id FROM access_point')")).toBe(true);
    expect(SQL[0].test("'INSERT OR IGNORE INTO trusted_image_digest'")).toBe(true);
    expect(SQL[1].test("await db.selectFrom('auth_user')")).toBe(true);
    expect(SQL[0].test('Select the APs from the list')).toBe(false);
  });
});
