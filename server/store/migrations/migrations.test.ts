import Database from 'better-sqlite3';
import { sql } from 'kysely';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../app/audit/auditLog';
import { AuthService } from '../../auth/authService';
import { HostnameStore } from '../../cli/hostname';
import { SshKeys } from '../../accounts/sshKeys';
import { DigestTrust } from '../../imageSigning/digestTrust';
import { SecretBox } from '../../secrets/secretBox';
import { AccessPointRepository } from '../accessPointRepository';
import { apAuthorizationRows } from '../apAuthorizationRepository';
import { catalogCheckRows } from '../catalogCheckRepository';
import { ControllerRepository } from '../controllerRepository';
import { EventLog } from '../eventLog';
import { loginThrottleRows } from '../loginThrottleRepository';
import { EMPTY_PROFILE, ProfileRepository } from '../profileRepository';
import { rolloutRows } from '../rolloutRepository';
import { ScheduleRepository } from '../scheduleRepository';
import { LEGACY_MIGRATIONS_DIR, legacyMigrationFiles } from '../sqlite/legacyMigrations';
import { openDataDirStore, openStore } from '../store';
import { startPostgres } from '../../sim/testing/postgresServer';
import { UnitOfWork } from '../unitOfWork';
import { upgradeRows } from '../upgradeRepository';
import { UpgradeRunRepository } from '../upgradeRunRepository';
import { UserRepository } from '../userRepository';
import { BASELINE_MIGRATION } from './baseline';
import { MIGRATIONS } from './migrate';

// What the code before the store layer left in every table (see the fixture's header).
const FIXTURE = path.join(import.meta.dirname, '..', 'sqlite', 'fixtures', 'install-013.sql');
const FIXTURE_KEY = new SecretBox(Buffer.alloc(32, 0x2a));

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-migrate-'));
  dirs.push(dir);
  return dir;
}

/** A data folder as an install of the code before the store layer left it: the thirteen SQL files applied, and its rows. */
function oldInstall(): string {
  const dir = dataDir();
  const db = new Database(path.join(dir, 'ewc.sqlite'));
  db.exec('CREATE TABLE schema_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const file of legacyMigrationFiles()) db.exec(fs.readFileSync(path.join(LEGACY_MIGRATIONS_DIR, file), 'utf8'));
  // Rows in table order, as a dump restores them: the keys between them are checked once all are in.
  db.pragma('foreign_keys = OFF');
  db.exec(fs.readFileSync(FIXTURE, 'utf8'));
  expect(db.pragma('foreign_key_check')).toEqual([]);
  db.close();
  return dir;
}

/** Every table's columns, keys, indexes, foreign keys and checks as SQLite reports them, for comparing two files. */
function sqliteShape(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[]).filter(
      (table) => table.name !== 'schema_migration',
    );
    return tables.map(({ name, sql }) => ({
      name,
      columns: (db.prepare(`PRAGMA table_xinfo(${name})`).all() as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[]).map((c) => ({
        name: c.name,
        type: c.type.toLowerCase(),
        notnull: c.notnull,
        default: c.dflt_value,
        pk: c.pk,
      })),
      foreignKeys: db
        .prepare(`PRAGMA foreign_key_list(${name})`)
        .all()
        .map((fk) => {
          const { id: _id, seq: _seq, ...rest } = fk as Record<string, unknown>;
          return rest;
        }),
      indexes: (db.prepare(`PRAGMA index_list(${name})`).all() as { name: string; unique: number; origin: string }[])
        .map((index) => ({
          unique: index.unique,
          origin: index.origin,
          // Named by us, or by SQLite for a key: the name only for ours.
          name: index.origin === 'c' ? index.name : null,
          columns: (db.prepare(`PRAGMA index_xinfo(${index.name})`).all() as { name: string | null; coll: string; key: number }[]).filter((c) => c.key).map((c) => `${c.name} ${c.coll.toLowerCase()}`),
        }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      // Check constraints as written, without quotes, case or spacing.
      checks: [...sql.matchAll(/\bcheck\s*\(((?:[^()]|\([^()]*\))*)\)/gi)].map((m) => m[1].replace(/["\s]/g, '').toLowerCase()).sort(),
    }));
  } finally {
    db.close();
  }
}

describe('an old SQLite install', () => {
  it('finishes its legacy SQL files, is recorded at the baseline, and keeps every row', async () => {
    const dir = oldInstall();
    const store = await openDataDirStore(dir);
    const { db } = store;
    try {
      const applied = (await db.selectFrom('schema_migration').select('name').orderBy('name').execute()).map((row) => row.name);
      expect(applied).toEqual([...legacyMigrationFiles(), ...MIGRATIONS.map((migration) => migration.name)].sort());

      const profile = (await ProfileRepository.load(db, EMPTY_PROFILE, FIXTURE_KEY)).get();
      expect(profile).toMatchObject({
        mode: 'SFTP',
        parallelMode: true,
        tftp: { imageServer: '10.0.0.6', imagePath: '/EWC/17_12_1_5', port: 6969 },
        sftp: { imageServer: '10.0.0.5', port: 2222, username: 'calo', password: 'Sftp-Pass-4471', hostKeyFingerprint: `SHA256:${'B'.repeat(43)}`, hostKeyType: 'ssh-ed25519' },
        cco: { catalogUrl: 'https://catalog.example.com', password: 'Cco-Api-Key-7f3a9c', autoCheck: 'daily', autoCheckTime: '02:30' },
      });

      const users = new UserRepository();
      expect((await users.list(db)).map((user) => `${user.username} ${user.role}`)).toEqual(['admin admin', 'Operator monitor']);
      expect(await users.find(db, 'OPERATOR')).toMatchObject({ username: 'Operator' });
      const auth = new AuthService(db, new AuditLog(db));
      expect(await auth.login('admin', 'Kestrel-Harbor-Lantern-42', '127.0.0.1')).toMatchObject({ ok: true });
      expect(await db.selectFrom('auth_session').select('username').execute()).toHaveLength(2);
      expect(await loginThrottleRows.lockedUntil(db, 'mallory')).toBeGreaterThan(1_700_000_000_000);
      const audit = await new AuditLog(db).recent();
      expect(audit.slice(0, 9).map((entry) => entry.action)).toEqual(['user.create', 'login', ...Array(5).fill('login.failed'), 'login.locked', 'login.failed']);

      expect((await apAuthorizationRows.all(db)).map((ap) => `${ap.mac} ${ap.status} ${ap.certSerial}`)).toEqual(['0a00.0000.0001 approved ABCDEF01', '0a00.0000.0002 pending ABCDEF02']);
      expect((await apAuthorizationRows.tokens(db)).map((token) => `${token.id} ${token.mac} ${token.usedByMac}`)).toEqual(['2 null 0a00.0000.0004', '1 0a00.0000.0003 null']);
      expect(await new SshKeys(db).keysOf('ADMIN')).toHaveLength(1);
      expect((await HostnameStore.load(db, () => null)).get()).toBe('9120-EWC-LAB');
      expect((await DigestTrust.load(db)).find('desktop', 'cd'.repeat(32))).toMatchObject({ name: 'ap1g8', size: 3_500_000_000, trustedBy: 'admin' });
      expect(JSON.parse((await catalogCheckRows.last(db))!)).toMatchObject({ catalogUrl: 'https://catalog.example.com', ok: true });

      const history = await upgradeRows.list(db);
      expect(history.map((upgrade) => `${upgrade.id} ${upgrade.stage} ${upgrade.supersededBy}`)).toEqual(['3 APImageDownload null', '2 Superseded 3', '1 Failed null']);
      expect(history[1].targets).toEqual({ macs: ['0a00.0000.0002'], siteTags: ['floor-1'] });
      expect(history[2]).toMatchObject({ targetVersion: '17.12.1.5', apCounts: { total: 4, joined: 3, failed: 1, runningTarget: 3 } });
      expect(await rolloutRows.find(db, 1)).toMatchObject({ strategy: 'rolling', wavePercent: 50, state: 'paused', currentWave: 0 });
      expect((await rolloutRows.waves(db, 1)).map((wave) => `${wave.state} ${wave.failed} ${wave.aps.join(',')}`)).toEqual([
        'done 1 0a00.0000.0002,0a00.0000.0003',
        'pending 0 0a00.0000.0004,0a00.0000.0001',
      ]);

      const unitOfWork = new UnitOfWork(store, 60_000);
      const run = await new UpgradeRunRepository(unitOfWork, FIXTURE_KEY).load(db, 3);
      expect(run?.profile.sftp.password).toBe('Sftp-Pass-4471');
      expect(run?.jobs.map((job) => `${job.fileName} ${job.size}`)).toEqual(['ap1g7 null', 'ap1g8 1101760']);
      expect(Object.fromEntries(run!.pending)).toEqual({ '0a00.0000.0001': ['ap', 'controller'], '0a00.0000.0002': [] });
      const aps = await AccessPointRepository.load(db, unitOfWork);
      expect(aps.all().map((ap) => `${ap.name} ${ap.predownloadStatus} ${ap.upgradeId} ${ap.siteTag}`)).toEqual([
        'AP-1 Initiated 3 floor-1',
        'AP-2 Downloading 3 floor-1',
        'AP-3 Failed 3 floor-2',
        'AP-4 None null floor-2',
      ]);
      expect(aps.get('0a00.0000.0003')).toMatchObject({ retryCount: 2, nextRetryTime: '2026-12-07T05:00:00.000Z', lastError: 'Timed out', neighbors: ['0a00.0000.0004'] });
      expect(aps.get('0a00.0000.0004')).toMatchObject({ activationExcluded: true });
      expect(aps.get('0a00.0000.0001')).toMatchObject({ hostsController: true, controllerPrimaryImage: '17.09.04a.0.6' });
      const schedules = await ScheduleRepository.load(db, unitOfWork);
      expect(schedules.pending().map((scheduled) => `${scheduled.id} ${scheduled.action} ${scheduled.windowEnd}`)).toEqual(['2 activate 2026-12-09T05:00:00.000Z']);
      expect((await ControllerRepository.load(db, unitOfWork, 'unused')).version()).toBe('17.12.01.0.5');
      const log = await EventLog.load(db, unitOfWork, 1000);
      expect(log.recent().map((line) => line.id)).toEqual([1, 2]);
      expect(log.write({ severity: 'info', facility: 'TEST', text: 'after the upgrade' }).id).toBe(3);
      await unitOfWork.close();
    } finally {
      await store.close();
    }
  });

  it('ends with the schema the baseline gives a new database, and opens again without migrating', async () => {
    const old = oldInstall();
    await (await openDataDirStore(old)).close();
    const fresh = dataDir();
    await (await openDataDirStore(fresh)).close();
    expect(sqliteShape(path.join(fresh, 'ewc.sqlite'))).toEqual(sqliteShape(path.join(old, 'ewc.sqlite')));

    const again = await openDataDirStore(old);
    expect(await again.db.selectFrom('schema_migration').select('name').where('name', '=', BASELINE_MIGRATION).execute()).toHaveLength(1);
    await again.close();
  });
});

describe('a new PostgreSQL database', () => {
  it('gets the whole schema: every table and column of a new SQLite database, nullable alike', async () => {
    const server = await startPostgres();
    try {
      const postgres = await openStore({ engine: 'postgres', url: await server.createDatabase() });
      const sqlite = await openDataDirStore(dataDir());
      // SQLite reports a primary key column as nullable (only INTEGER PRIMARY KEY refuses NULL); both refuse it in practice.
      const keys = new Set<string>();
      for (const table of await sqlite.db.introspection.getTables()) {
        const { rows } = await sql<{ name: string; pk: number }>`pragma table_info(${sql.ref(table.name)})`.execute(sqlite.db);
        for (const column of rows) if (column.pk > 0) keys.add(`${table.name}.${column.name}`);
      }
      const shape = async (db: typeof sqlite.db) =>
        (await db.introspection.getTables())
          .map((table) => ({
            name: table.name,
            columns: table.columns.map((column) => `${column.name}${column.isNullable && !keys.has(`${table.name}.${column.name}`) ? '?' : ''}`).sort(),
          }))
          .sort((a, b) => a.name.localeCompare(b.name));
      expect(await shape(postgres.db)).toEqual(await shape(sqlite.db));
      expect((await shape(postgres.db)).map((table) => table.name)).toHaveLength(27);
      await postgres.close();
      await sqlite.close();
    } finally {
      await server.stop();
    }
  });
});
