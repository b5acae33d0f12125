import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../secrets/secretBox';
import { EMPTY_PROFILE, type StoredProfile } from './profileRepository';
import { ENGINES, testStores, type TestStore } from '../sim/testing/testStores';
import { UnitOfWork } from './unitOfWork';
import { UpgradeRepository } from './upgradeRepository';
import { UpgradeRunRepository } from './upgradeRunRepository';

const PASSWORD = 'Run-Snapshot-Pass-7731';
const KEY = randomBytes(32);

async function open(opened: TestStore) {
  // A tick longer than the test: pending writes reach the database only when the test flushes.
  const unitOfWork = new UnitOfWork(opened.store, 60_000);
  return { unitOfWork, upgrades: await UpgradeRepository.load(opened.db, unitOfWork), runs: new UpgradeRunRepository(unitOfWork, new SecretBox(KEY)) };
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

describe.each(ENGINES)('the durable side of a running upgrade (%s)', (engine) => {
  const stores = testStores(engine);

  it('keeps the profile snapshot with its secrets sealed, the jobs and what each AP still needs, for the next start', async () => {
    const opened = await stores.open();
    const { dataDir: dir } = opened;
    const first = await open(opened);
    const upgrade = first.upgrades.create({ mode: 'SFTP', imageUrl: 'sftp://*****@10.0.0.5/EWC/17_12_1_5', parallelMode: false, message: 'test' });
    first.runs.create(upgrade.id, profile, path.join(dir, 'image-cache', `upgrade-${upgrade.id}`));
    first.runs.recordJob(upgrade.id, { fileName: 'ap1g8', kind: 'ap', imageType: 'ap1g8', size: null, sha256: null });
    first.runs.recordPending(upgrade.id, '70f0.96a1.4e20', ['ap']);
    first.runs.recordPending(upgrade.id, '6c41.0e16.e79c', ['ap', 'controller']);
    // Written behind: nothing of it is in the database before the flush.
    expect(await first.runs.load(opened.db, upgrade.id)).toBeNull();
    await first.unitOfWork.flush();
    expect((await first.runs.load(opened.db, upgrade.id))?.pending.size).toBe(2);
    first.runs.recordJob(upgrade.id, { fileName: 'ap1g8', kind: 'ap', imageType: 'ap1g8', size: 1101760, sha256: 'ab'.repeat(32) });
    first.runs.recordPending(upgrade.id, '6c41.0e16.e79c', ['controller']);
    // The counts APs acknowledged: a newer one of the same image replaces the one before, even within one tick.
    first.runs.recordAcknowledged(upgrade.id, { mac: '70f0.96a1.4e20', kind: 'ap', bytes: 55088, total: 1101760 });
    first.runs.recordAcknowledged(upgrade.id, { mac: '70f0.96a1.4e20', kind: 'ap', bytes: 473757, total: 1101760 });
    first.runs.recordAcknowledged(upgrade.id, { mac: '6c41.0e16.e79c', kind: 'ap', bytes: 1101760, total: 1101760 });
    // Beyond 2^32: an image's byte count is a bigint column on both engines.
    first.runs.recordAcknowledged(upgrade.id, { mac: '6c41.0e16.e79c', kind: 'controller', bytes: 5_000_000_000, total: 6_000_000_000 });
    await first.unitOfWork.close();

    if (engine === 'sqlite') {
      // The password was in the profile; on disk (the database and its write-ahead log) it is only sealed.
      const files = ['ewc.sqlite', 'ewc.sqlite-wal'].map((name) => path.join(dir, name)).filter((file) => fs.existsSync(file));
      expect(files.some((file) => file.endsWith('-wal'))).toBe(true);
      for (const file of files) expect(fs.readFileSync(file).includes(Buffer.from(PASSWORD)), file).toBe(false);
    }

    const restarted = await stores.reopen(opened);
    const run = (await (await open(restarted)).runs.load(restarted.db, upgrade.id))!;
    expect(run.profile).toEqual(profile);
    expect(run.cacheDir).toBe(path.join(dir, 'image-cache', `upgrade-${upgrade.id}`));
    expect(run.jobs).toEqual([{ fileName: 'ap1g8', kind: 'ap', imageType: 'ap1g8', size: 1101760, sha256: 'ab'.repeat(32) }]);
    expect(Object.fromEntries(run.pending)).toEqual({ '70f0.96a1.4e20': ['ap'], '6c41.0e16.e79c': ['controller'] });
    expect(run.acknowledged).toEqual([
      { mac: '6c41.0e16.e79c', kind: 'ap', bytes: 1101760, total: 1101760 },
      { mac: '6c41.0e16.e79c', kind: 'controller', bytes: 5_000_000_000, total: 6_000_000_000 },
      { mac: '70f0.96a1.4e20', kind: 'ap', bytes: 473757, total: 1101760 },
    ]);
  });

  it('is re-sealed by the key rotation, so a run started before it resumes after it', async () => {
    const opened = await stores.open();
    const first = await open(opened);
    const id = first.upgrades.create({ mode: 'SFTP', imageUrl: 'sftp://x', parallelMode: false, message: 'test' }).id;
    first.runs.create(id, profile, opened.dataDir);
    await first.unitOfWork.flush();
    const nextKey = randomBytes(32);
    expect(await opened.store.transaction((tx) => UpgradeRunRepository.reseal(tx, new SecretBox(KEY), new SecretBox(nextKey)))).toBe(1);
    await expect(first.runs.load(opened.db, id)).rejects.toThrow(/secret key/);
    expect((await new UpgradeRunRepository(first.unitOfWork, new SecretBox(nextKey)).load(opened.db, id))?.profile.sftp.password).toBe(PASSWORD);
  });

  it('refuses a snapshot sealed with another key instead of using it', async () => {
    const opened = await stores.open();
    const first = await open(opened);
    const id = first.upgrades.create({ mode: 'SFTP', imageUrl: 'sftp://x', parallelMode: false, message: 'test' }).id;
    first.runs.create(id, profile, opened.dataDir);
    await first.unitOfWork.flush();
    const otherKey = new UpgradeRunRepository(first.unitOfWork, new SecretBox(randomBytes(32)));
    await expect(otherKey.load(opened.db, id)).rejects.toThrow(/secret key/);
  });

  it('drops what the run it replaces had not written yet, so the new run starts and the store keeps writing', async () => {
    const opened = await stores.open();
    const { unitOfWork, upgrades, runs } = await open(opened);
    const start = () => {
      const created = upgrades.create({ mode: 'TFTP', imageUrl: 'tftp://127.0.0.1/EWC', parallelMode: false, message: 'test' });
      runs.create(created.id, EMPTY_PROFILE, path.join(opened.dataDir, 'image-cache', `upgrade-${created.id}`));
      return created;
    };
    const first = start();
    await unitOfWork.flush();
    // The first run's last AP completes; the next Save & Download comes before the store's tick.
    runs.recordJob(first.id, { fileName: 'ap1g8', kind: 'ap', imageType: 'ap1g8', size: 3000, sha256: 'ab'.repeat(32) });
    runs.recordPending(first.id, '70f0.96a1.4e20', []);
    runs.recordAcknowledged(first.id, { mac: '70f0.96a1.4e20', kind: 'ap', bytes: 3000, total: 3000 });
    const second = start();
    runs.recordPending(second.id, '70f0.96a1.4e20', ['ap']);
    await unitOfWork.flush();
    expect(await opened.db.selectFrom('upgrade_run_ap').select(['upgrade_id as upgradeId', 'mac']).execute()).toEqual([{ upgradeId: second.id, mac: '70f0.96a1.4e20' }]);
    expect(await opened.db.selectFrom('upgrade_run_job').selectAll().execute()).toEqual([]);
    expect(await opened.db.selectFrom('upgrade_run_progress').selectAll().execute()).toEqual([]);
    expect((await opened.db.selectFrom('upgrade_run').select('upgrade_id').execute()).map((row) => row.upgrade_id)).toEqual([second.id]);
  });
});
