import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretBox, loadSecretBox } from '../secrets/secretBox';
import { EMPTY_PROFILE, ProfileRepository } from './profileRepository';
import { LEGACY_MIGRATIONS_DIR as MIGRATIONS } from './sqlite/legacyMigrations';
import { openDataDirStore } from './store';
import { UnitOfWork } from './unitOfWork';
import { UpgradeRunRepository } from './upgradeRunRepository';
import { UpgradeRepository } from './upgradeRepository';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A data folder as the console before migration 011 left it, with one saved profile row. */
function dataFolderBefore011(row: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-slots-'));
  dirs.push(dir);
  const db = new Database(path.join(dir, 'ewc.sqlite'));
  db.exec('CREATE TABLE schema_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  for (const file of fs
    .readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith('.sql') && f < '011')
    .sort()) {
    db.exec(fs.readFileSync(path.join(MIGRATIONS, file), 'utf8'));
    db.prepare('INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)').run(file, new Date().toISOString());
  }
  const columns = Object.keys(row);
  db.prepare(`INSERT INTO image_download_profile (id, parallel_mode, updated_at, ${columns.join(', ')}) VALUES (1, 0, 'then', ${columns.map((c) => `@${c}`).join(', ')})`).run(row);
  db.close();
  return dir;
}

async function profileIn(dir: string) {
  const store = await openDataDirStore(dir);
  try {
    return (await ProfileRepository.load(store.db, EMPTY_PROFILE, loadSecretBox(dir, undefined).box)).get();
  } finally {
    await store.close();
  }
}

describe('migration 011: each server mode its own server, path and port', () => {
  it('moves a saved SFTP server to the SFTP slot and leaves TFTP unconfigured with its default port', async () => {
    const dir = dataFolderBefore011({ mode: 'SFTP', image_server: '127.0.0.1', image_path: 'EWC/17_12_1_5', port: 2422, sftp_username: 'ewc-demo' });
    expect(await profileIn(dir)).toMatchObject({
      mode: 'SFTP',
      tftp: { imageServer: '', imagePath: '', port: 69 },
      sftp: { imageServer: '127.0.0.1', imagePath: 'EWC/17_12_1_5', port: 2422, username: 'ewc-demo' },
    });
  });

  it('moves a saved TFTP server to the TFTP slot, and not the placeholders a CCO profile kept', async () => {
    const tftp = dataFolderBefore011({ mode: 'TFTP', image_server: '10.0.0.5', image_path: '/EWC/17_12_1_5', port: 6969 });
    expect(await profileIn(tftp)).toMatchObject({ mode: 'TFTP', tftp: { imageServer: '10.0.0.5', imagePath: '/EWC/17_12_1_5', port: 6969 }, sftp: { imageServer: '', port: 22 } });
    const cco = dataFolderBefore011({ mode: 'TFTP', http_mode: 'CCO', image_server: 'catalog.example.com', image_path: '/', port: 443, cco_catalog_url: 'https://catalog.example.com' });
    expect(await profileIn(cco)).toMatchObject({ mode: 'CCO', tftp: { imageServer: '', imagePath: '', port: 69 }, cco: { catalogUrl: 'https://catalog.example.com' } });
  });
});

describe('a run snapshot written before the modes kept their own server', () => {
  it("resumes from the server it was started with, in its mode's slot", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-slots-'));
    dirs.push(dir);
    const store = await openDataDirStore(dir);
    const { db } = store;
    const box = new SecretBox(Buffer.alloc(32, 7));
    const unitOfWork = new UnitOfWork(store, 60_000);
    const runs = new UpgradeRunRepository(unitOfWork, box);
    const id = (await UpgradeRepository.load(db, unitOfWork)).create({ mode: 'SFTP', imageUrl: 'sftp://*****@10.0.0.5:2422/EWC', parallelMode: false, message: 'before 011' }).id;
    await unitOfWork.flush();
    const { tftp: _tftp, sftp, ...rest } = EMPTY_PROFILE;
    const { imageServer: _s, imagePath: _p, port: _port, hostKeyType: _t, ...sftpBefore011 } = sftp;
    const snapshot = { ...rest, mode: 'SFTP', imageServer: '10.0.0.5', imagePath: 'EWC', port: 2422, sftp: { ...sftpBefore011, username: 'calo', password: box.seal('Pa55word') } };
    await db
      .insertInto('upgrade_run')
      .values({ upgrade_id: id, profile: JSON.stringify(snapshot), cache_dir: dir, created_at: new Date().toISOString() })
      .execute();
    expect((await runs.load(db, id))?.profile).toMatchObject({
      mode: 'SFTP',
      tftp: { imageServer: '', port: 69 },
      sftp: { imageServer: '10.0.0.5', imagePath: 'EWC', port: 2422, username: 'calo', password: 'Pa55word', hostKeyType: null },
    });
    await store.close();
  });
});
