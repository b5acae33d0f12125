import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApJoinInfo } from '../../lib/capwapEvents';
import { AccessPointRepository } from './accessPointRepository';
import { openDatabase, type Db } from './database';
import { EventLog } from './eventLog';
import { SqliteFleetStore } from './sqliteFleetStore';
import { WriteBehind } from './writeBehind';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open(dir: string, retainLines = 1000) {
  const db = openDatabase(dir);
  const database = new SqliteFleetStore(db);
  // A tick longer than any test: writes happen only when the test flushes.
  const store = new WriteBehind(database, 60_000);
  return { db, store, aps: new AccessPointRepository(database, store), log: new EventLog(database, store, retainLines) };
}

const join = (i: number): ApJoinInfo => ({
  name: `AP-${i}`,
  mac: `0a00.0000.${String(i).padStart(4, '0')}`,
  model: 'C9120AXI-B',
  imageType: i % 2 ? 'ap1g7' : 'ap1g8',
  primaryVersion: '17.9.4.27',
  backupVersion: '17.3.3.26',
  freeSpaceKb: 400_000,
  hostsController: false,
});

/** What another process reading the database file sees. */
function fromDisk(dir: string, sql: string): unknown {
  const reader = new Database(path.join(dir, 'ewc.sqlite'), { readonly: true });
  try {
    return reader.prepare(sql).pluck().get();
  } finally {
    reader.close();
  }
}

describe('the database behind the fleet', () => {
  it('writes changes at the tick, in one transaction, and rebuilds the same fleet after a restart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-store-'));
    dirs.push(dir);
    let { db, store, aps, log } = open(dir);
    for (let i = 0; i < 50; i++) aps.upsertJoin(join(i));
    for (let i = 0; i < 20; i++) aps.transition(join(i).mac, 'None', 'Initiated', { upgradeId: 3 });
    log.write({ severity: 'notice', facility: 'TEST', text: 'twenty enrolled' });
    expect(fromDisk(dir, 'SELECT count(*) FROM access_point')).toBe(0);
    expect(fromDisk(dir, 'SELECT count(*) FROM event_log')).toBe(0);

    store.flush();
    expect(fromDisk(dir, 'SELECT count(*) FROM access_point')).toBe(50);
    expect(fromDisk(dir, `SELECT count(*) FROM access_point WHERE predownload_status = 'Initiated' AND upgrade_id = 3`)).toBe(20);
    expect(fromDisk(dir, 'SELECT text FROM event_log')).toBe('twenty enrolled');

    aps.transition(join(0).mac, 'Initiated', 'Downloading');
    store.close();
    db.close();
    ({ db, store, aps, log } = open(dir));
    expect(aps.reader.size).toBe(50);
    expect(aps.reader.countInUpgrade(3, 'Initiated')).toBe(19);
    expect(aps.reader.countInUpgrade(3, 'Downloading')).toBe(1);
    expect(aps.reader.countOfType('ap1g8', 'None')).toBe(15);
    expect(log.recent().map((line) => line.text)).toEqual(['twenty enrolled']);
    expect(log.write({ severity: 'info', facility: 'TEST', text: 'after restart' }).id).toBe(2);
    store.close();
    db.close();
  });

  it('keeps only the newest lines of the event log', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-store-'));
    dirs.push(dir);
    const { db, store, log } = open(dir, 1000);
    for (let i = 1; i <= 2500; i++) log.write({ severity: 'info', facility: 'TEST', text: `line ${i}` });
    store.flush();
    expect(fromDisk(dir, 'SELECT count(*) FROM event_log')).toBe(1000);
    expect(fromDisk(dir, 'SELECT min(text) FROM event_log WHERE id = (SELECT min(id) FROM event_log)')).toBe('line 1501');
    expect(log.recent().at(-1)?.text).toBe('line 2500');
    expect(log.recent()).toHaveLength(500);
    store.close();
    db.close();
  });

  it('forgets nothing when a commit fails: the next one writes it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-store-'));
    dirs.push(dir);
    const { db, store, aps } = open(dir);
    aps.upsertJoin(join(1));
    const blocker: Db = new Database(path.join(dir, 'ewc.sqlite'));
    blocker.pragma('busy_timeout = 0');
    db.pragma('busy_timeout = 0');
    blocker.exec('BEGIN IMMEDIATE');
    expect(() => store.flush()).toThrow(/locked|busy/i);
    blocker.exec('ROLLBACK');
    blocker.close();
    store.flush();
    expect(fromDisk(dir, 'SELECT name FROM access_point')).toBe('AP-1');
    store.close();
    db.close();
  });
});
