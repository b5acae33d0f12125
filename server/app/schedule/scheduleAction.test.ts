import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Scheduler } from '../../orchestrator/scheduler';
import { openTestStore } from '../../sim/testing/testStores';
import { EventLog } from '../../store/eventLog';
import { ScheduleRepository } from '../../store/scheduleRepository';
import { UnitOfWork } from '../../store/unitOfWork';
import type { Actor } from '../actor';
import { AuditLog } from '../audit/auditLog';
import { AuditWriteBehind } from '../audit/auditWriteBehind';
import { cancelSchedule } from './changeSchedule';
import { scheduleAction } from './scheduleAction';

const ADMIN: Actor = { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'api' };
// Far enough ahead that no timer fires during a test.
const AT = '2099-01-01T02:00:00.000Z';

let opened: Awaited<ReturnType<typeof openTestStore>>;
let unitOfWork: UnitOfWork;
let schedules: ScheduleRepository;
let scheduler: Scheduler;
let audit: AuditLog;
let stagedAudit: AuditWriteBehind;
let ran: number;

beforeEach(async () => {
  opened = await openTestStore();
  // A tick this long never comes during a test: only the flushes the use cases await write.
  unitOfWork = new UnitOfWork(opened.store, 3_600_000);
  schedules = await ScheduleRepository.load(opened.db, unitOfWork);
  const log = await EventLog.load(opened.db, unitOfWork, 1000);
  audit = new AuditLog(opened.db);
  stagedAudit = new AuditWriteBehind(audit, unitOfWork);
  ran = 0;
  const notifier = { apChanged: () => undefined, upgradeChanged: () => undefined };
  scheduler = new Scheduler({ schedules, log, notifier, runDue: async () => void (ran += 1) });
});

afterEach(async () => {
  scheduler.dispose();
  await opened.dispose();
});

const storedStates = async () => (await opened.db.selectFrom('scheduled_action').select(['id', 'state']).orderBy('id').execute()).map((row) => `${row.id} ${row.state}`);
const breakAuditTable = () => opened.db.schema.dropTable('audit_log').execute();

describe('scheduling an action (the row and its audit line in one transaction)', () => {
  it('writes the pending row and the audit line, and holds the action', async () => {
    const record = await scheduleAction({ db: opened.db, scheduler, audit }, 'activate', { at: AT, windowEnd: null }, { strategy: 'all' }, ADMIN, `activate at ${AT} (all)`);
    expect(await storedStates()).toEqual([`${record.id} pending`]);
    expect(schedules.pendingRecords().map((r) => r.id)).toEqual([record.id]);
    expect((await audit.recent()).map((e) => `${e.username}@${e.sourceAddress} ${e.action} ${e.detail}`)).toEqual([`admin@127.0.0.1 upgrade.schedule activate at ${AT} (all)`]);
  });

  it('leaves no row and no pending action when its audit line cannot be written', async () => {
    await breakAuditTable();
    await expect(scheduleAction({ db: opened.db, scheduler, audit }, 'activate', { at: AT, windowEnd: null }, { strategy: 'all' }, ADMIN, 'activate')).rejects.toThrow(/audit_log/);
    expect(await storedStates()).toEqual([]);
    expect(schedules.pendingRecords()).toEqual([]);
  });
});

describe('cancelling a scheduled action (the change and its audit line in one flush)', () => {
  it('ends the row and writes the audit line together', async () => {
    const record = await scheduleAction({ db: opened.db, scheduler, audit }, 'download', { at: AT, windowEnd: null }, null, ADMIN, 'download');
    const result = await cancelSchedule({ scheduler, stagedAudit }, String(record.id), ADMIN);
    expect(result).toMatchObject({ ok: true, value: { id: record.id, state: 'cancelled' } });
    expect(await storedStates()).toEqual([`${record.id} cancelled`]);
    expect((await audit.recent()).map((e) => `${e.action} ${e.detail}`)).toEqual(['upgrade.schedule download', `upgrade.schedule.cancel download ${record.id} at ${AT}`]);
  });

  it('commits neither the cancel nor its audit line when the audit line cannot be written', async () => {
    const record = await scheduleAction({ db: opened.db, scheduler, audit }, 'download', { at: AT, windowEnd: null }, null, ADMIN, 'download');
    await breakAuditTable();
    await expect(cancelSchedule({ scheduler, stagedAudit }, String(record.id), ADMIN)).rejects.toThrow(/audit_log/);
    expect(await storedStates()).toEqual([`${record.id} pending`]);
  });

  it('refuses an action that is no longer pending as a conflict, and audits nothing', async () => {
    const record = await scheduleAction({ db: opened.db, scheduler, audit }, 'download', { at: AT, windowEnd: null }, null, ADMIN, 'download');
    await cancelSchedule({ scheduler, stagedAudit }, String(record.id), ADMIN);
    expect(await cancelSchedule({ scheduler, stagedAudit }, String(record.id), ADMIN)).toEqual({
      ok: false,
      error: { code: 'conflict', message: `Scheduled action ${record.id} is not pending.`, sentence: { code: 'scheduleNotPending', params: { id: record.id } } },
    });
    expect(await cancelSchedule({ scheduler, stagedAudit }, 'seven', ADMIN)).toEqual({ ok: false, error: { code: 'invalid', message: 'Invalid id' } });
    expect((await audit.recent()).filter((e) => e.action === 'upgrade.schedule.cancel')).toHaveLength(1);
    expect(ran).toBe(0);
  });
});
