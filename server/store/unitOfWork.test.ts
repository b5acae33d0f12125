import Database from 'better-sqlite3';
import { sql } from 'kysely';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApJoinInfo } from '../../lib/capwapEvents';
import { AccessPointRepository } from './accessPointRepository';
import { EventLog } from './eventLog';
import type { Executor } from './store';
import { ENGINES, testStores, type TestStore } from '../sim/testing/testStores';
import { UnitOfWork } from './unitOfWork';

// A tick longer than any test: writes happen only when the test flushes.
const NO_TICK = 60_000;

async function projections(opened: TestStore, retainLines = 1000) {
  const unitOfWork = new UnitOfWork(opened.store, NO_TICK);
  return { unitOfWork, aps: await AccessPointRepository.load(opened.db, unitOfWork), log: await EventLog.load(opened.db, unitOfWork, retainLines) };
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

const count = async (db: Executor, table: 'access_point' | 'event_log') =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe.each(ENGINES)('the unit of work behind the projections (%s)', (engine) => {
  const stores = testStores(engine);

  it('writes changes at the flush, in one transaction, and rebuilds the same fleet after a restart', async () => {
    let opened = await stores.open();
    let { unitOfWork, aps, log } = await projections(opened);
    for (let i = 0; i < 50; i++) aps.upsertJoin(join(i));
    for (let i = 0; i < 20; i++) aps.transition(join(i).mac, 'None', 'Initiated', { upgradeId: 3 });
    log.write({ severity: 'notice', facility: 'TEST', text: 'twenty enrolled' });
    expect(await count(opened.db, 'access_point')).toBe(0);
    expect(await count(opened.db, 'event_log')).toBe(0);

    await unitOfWork.flush();
    expect(await count(opened.db, 'access_point')).toBe(50);
    const initiated = await opened.db.selectFrom('access_point').select('mac').where('predownload_status', '=', 'Initiated').where('upgrade_id', '=', 3).execute();
    expect(initiated).toHaveLength(20);
    expect((await opened.db.selectFrom('event_log').select('text').execute()).map((row) => row.text)).toEqual(['twenty enrolled']);

    aps.transition(join(0).mac, 'Initiated', 'Downloading');
    await unitOfWork.close();
    opened = await stores.reopen(opened);
    ({ unitOfWork, aps, log } = await projections(opened));
    expect(aps.reader.size).toBe(50);
    expect(aps.reader.countInUpgrade(3, 'Initiated')).toBe(19);
    expect(aps.reader.countInUpgrade(3, 'Downloading')).toBe(1);
    expect(aps.reader.countOfType('ap1g8', 'None')).toBe(15);
    expect(log.recent().map((line) => line.text)).toEqual(['twenty enrolled']);
    expect(log.write({ severity: 'info', facility: 'TEST', text: 'after restart' }).id).toBe(2);
    await unitOfWork.close();
  });

  it('keeps only the newest lines of the event log', async () => {
    const opened = await stores.open();
    const { unitOfWork, log } = await projections(opened, 1000);
    for (let i = 1; i <= 2500; i++) log.write({ severity: 'info', facility: 'TEST', text: `line ${i}` });
    await unitOfWork.flush();
    expect(await count(opened.db, 'event_log')).toBe(1000);
    const oldest = await opened.db.selectFrom('event_log').select('text').orderBy('id').limit(1).executeTakeFirstOrThrow();
    expect(oldest.text).toBe('line 1501');
    expect(log.recent().at(-1)?.text).toBe('line 2500');
    expect(log.recent()).toHaveLength(500);
    await unitOfWork.close();
  });

  it('forgets nothing when a commit fails: what was written with it is rolled back, and the next flush writes it all', async () => {
    const opened = await stores.open();
    const { unitOfWork, aps, log } = await projections(opened);
    let failures = 1;
    // A source written after the fleet and the log, failing once: the transaction's other writes go back with it.
    unitOfWork.register({
      take: () => ({
        write: async () => {
          if (failures-- > 0) throw new Error('disk full');
        },
        restore: () => undefined,
      }),
    });
    aps.upsertJoin(join(1));
    log.write({ severity: 'notice', facility: 'TEST', text: 'AP-1 joined' });
    await expect(unitOfWork.flush()).rejects.toThrow('disk full');
    expect(await count(opened.db, 'access_point')).toBe(0);
    expect(await count(opened.db, 'event_log')).toBe(0);
    await unitOfWork.flush();
    expect((await opened.db.selectFrom('access_point').select('name').execute()).map((row) => row.name)).toEqual(['AP-1']);
    expect((await opened.db.selectFrom('event_log').select('text').execute()).map((row) => row.text)).toEqual(['AP-1 joined']);
    await unitOfWork.close();
  });

  it('keeps a change made while a flush is being written for the next flush', async () => {
    const opened = await stores.open();
    const { unitOfWork, aps } = await projections(opened);
    aps.upsertJoin(join(1));
    let changeDuringWrite: () => void = () => undefined;
    unitOfWork.register({
      take: () => ({
        // Stands for a slow commit (a PostgreSQL round trip): the fleet changes before it ends.
        write: () => new Promise<void>((resolve) => setTimeout(() => (changeDuringWrite(), resolve()), 20)),
        restore: () => undefined,
      }),
    });
    changeDuringWrite = () => aps.transition(join(1).mac, 'None', 'Initiated', { upgradeId: 7 });
    await unitOfWork.flush();
    expect((await opened.db.selectFrom('access_point').select('predownload_status').executeTakeFirstOrThrow()).predownload_status).toBe('None');
    changeDuringWrite = () => undefined;
    await unitOfWork.flush();
    expect(await opened.db.selectFrom('access_point').select(['predownload_status', 'upgrade_id']).executeTakeFirstOrThrow()).toEqual({ predownload_status: 'Initiated', upgrade_id: 7 });
    await unitOfWork.close();
  });
});

describe('a commit SQLite refuses', () => {
  const stores = testStores('sqlite');

  it('leaves everything pending when another process holds the write lock', async () => {
    const opened = await stores.open();
    const { unitOfWork, aps } = await projections(opened);
    aps.upsertJoin(join(1));
    const blocker = new Database(path.join(opened.dataDir, 'ewc.sqlite'));
    blocker.pragma('busy_timeout = 0');
    await sql`pragma busy_timeout = 0`.execute(opened.db);
    blocker.exec('BEGIN IMMEDIATE');
    await expect(unitOfWork.flush()).rejects.toThrow(/locked|busy/i);
    blocker.exec('ROLLBACK');
    blocker.close();
    await unitOfWork.flush();
    expect((await opened.db.selectFrom('access_point').select('name').execute()).map((row) => row.name)).toEqual(['AP-1']);
    await unitOfWork.close();
  });
});
