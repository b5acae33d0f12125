import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretBox } from '../secrets/secretBox';
import { openDatabase } from './database';
import { EMPTY_PROFILE, type StoredProfile } from './profileRepository';
import { UpgradeRepository } from './upgradeRepository';
import { UpgradeRunRepository } from './upgradeRunRepository';
import { WriteBehind } from './writeBehind';
import { SqliteFleetStore } from './sqliteFleetStore';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const PASSWORD = 'Run-Snapshot-Pass-7731';
const KEY = randomBytes(32);

function open(dir: string) {
  const db = openDatabase(dir);
  // A tick longer than the test: pending writes reach the file only when the test flushes.
  const store = new WriteBehind(new SqliteFleetStore(db), 60_000);
  return { db, store, upgrades: new UpgradeRepository(db), runs: new UpgradeRunRepository(db, store, new SecretBox(KEY)) };
}

const profile: StoredProfile = {
  ...EMPTY_PROFILE,
  mode: 'SFTP',
  sftp: {
    ...EMPTY_PROFILE.sftp,
    imageServer: '10.0.0.5',
    imagePath: 'EWC/17_12_1_5',
    port: 22,
    username: 'calo',
    password: PASSWORD,
    hostKeyFingerprint: `SHA256:${'A'.repeat(43)}`,
    hostKeyType: 'ssh-ed25519',
  },
};

describe('the durable side of a running upgrade', () => {
  it('keeps the profile snapshot with its secrets sealed, the jobs and what each AP still needs, for the next start', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-run-'));
    dirs.push(dir);
    const first = open(dir);
    const upgrade = first.store.transaction(() => {
      const created = first.upgrades.create({ mode: 'SFTP', imageUrl: 'sftp://*****@10.0.0.5/EWC/17_12_1_5', parallelMode: false, message: 'test' });
      first.runs.create(created.id, profile, path.join(dir, 'image-cache', `upgrade-${created.id}`));
      return created;
    });
    first.runs.recordJob(upgrade.id, { fileName: 'ap1g8', kind: 'ap', imageType: 'ap1g8', size: null, sha256: null });
    first.runs.recordPending(upgrade.id, '70f0.96a1.4e20', ['ap']);
    first.runs.recordPending(upgrade.id, '6c41.0e16.e79c', ['ap', 'controller']);
    // Written behind: nothing of it is in the file before the tick.
    expect(open(dir).runs.load(upgrade.id)?.pending.size).toBe(0);
    first.runs.recordJob(upgrade.id, { fileName: 'ap1g8', kind: 'ap', imageType: 'ap1g8', size: 1101760, sha256: 'ab'.repeat(32) });
    first.runs.recordPending(upgrade.id, '6c41.0e16.e79c', ['controller']);
    first.store.flush();

    // The password was in the profile; on disk (the database and its write-ahead log) it is only sealed.
    const files = ['ewc.sqlite', 'ewc.sqlite-wal'].map((name) => path.join(dir, name)).filter((file) => fs.existsSync(file));
    expect(files.some((file) => file.endsWith('-wal'))).toBe(true);
    for (const file of files) expect(fs.readFileSync(file).includes(Buffer.from(PASSWORD)), file).toBe(false);
    first.db.close();

    const restarted = open(dir);
    const run = restarted.runs.load(upgrade.id)!;
    expect(run.profile).toEqual(profile);
    expect(run.cacheDir).toBe(path.join(dir, 'image-cache', `upgrade-${upgrade.id}`));
    expect(run.jobs).toEqual([{ fileName: 'ap1g8', kind: 'ap', imageType: 'ap1g8', size: 1101760, sha256: 'ab'.repeat(32) }]);
    expect(Object.fromEntries(run.pending)).toEqual({ '70f0.96a1.4e20': ['ap'], '6c41.0e16.e79c': ['controller'] });
    restarted.db.close();
  });

  it('is re-sealed by the key rotation, so a run started before it resumes after it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-run-'));
    dirs.push(dir);
    const first = open(dir);
    const id = first.upgrades.create({ mode: 'SFTP', imageUrl: 'sftp://x', parallelMode: false, message: 'test' }).id;
    first.runs.create(id, profile, dir);
    const nextKey = randomBytes(32);
    expect(UpgradeRunRepository.reseal(first.db, new SecretBox(KEY), new SecretBox(nextKey))).toBe(1);
    expect(() => first.runs.load(id)).toThrow(/secret key/);
    expect(new UpgradeRunRepository(first.db, first.store, new SecretBox(nextKey)).load(id)?.profile.sftp.password).toBe(PASSWORD);
    first.db.close();
  });

  it('refuses a snapshot sealed with another key instead of using it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-run-'));
    dirs.push(dir);
    const first = open(dir);
    const id = first.upgrades.create({ mode: 'SFTP', imageUrl: 'sftp://x', parallelMode: false, message: 'test' }).id;
    first.runs.create(id, profile, dir);
    const otherKey = new UpgradeRunRepository(first.db, first.store, new SecretBox(randomBytes(32)));
    expect(() => otherKey.load(id)).toThrow(/secret key/);
    first.db.close();
  });

  it('drops what the run it replaces had not written yet, so the new run starts and the store keeps writing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-run-'));
    dirs.push(dir);
    const { db, store, upgrades, runs } = open(dir);
    const start = () =>
      store.transaction(() => {
        const created = upgrades.create({ mode: 'TFTP', imageUrl: 'tftp://127.0.0.1/EWC', parallelMode: false, message: 'test' });
        runs.create(created.id, EMPTY_PROFILE, path.join(dir, 'image-cache', `upgrade-${created.id}`));
        return created;
      });
    const first = start();
    // The first run's last AP completes; the next Save & Download comes before the store's tick.
    runs.recordJob(first.id, { fileName: 'ap1g8', kind: 'ap', imageType: 'ap1g8', size: 3000, sha256: 'ab'.repeat(32) });
    runs.recordPending(first.id, '70f0.96a1.4e20', []);
    const second = start();
    runs.recordPending(second.id, '70f0.96a1.4e20', ['ap']);
    store.flush();
    expect(db.prepare('SELECT upgrade_id AS upgradeId, mac FROM upgrade_run_ap').all()).toEqual([{ upgradeId: second.id, mac: '70f0.96a1.4e20' }]);
    expect(db.prepare('SELECT count(*) AS jobs FROM upgrade_run_job').get()).toEqual({ jobs: 0 });
    db.close();
  });
});
