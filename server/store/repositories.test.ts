import { randomBytes } from 'node:crypto';
import { ed25519PublicKeyLine } from '../sim/testing/sshPublicKey';
import { describe, expect, it } from 'vitest';
import { imageDownloadProfileInputSchema } from '../../lib/imageDownloadProfile';
import { HostnameStore } from '../cli/hostname';
import { parsePublicKeyLine, SshKeys } from '../accounts/sshKeys';
import { DigestTrust } from '../imageSigning/digestTrust';
import { SecretBox } from '../secrets/secretBox';
import { apAuthorizationRows, type ApAuthorizationRecord } from './apAuthorizationRepository';
import { catalogCheckRows } from './catalogCheckRepository';
import { ControllerRepository } from './controllerRepository';
import { EMPTY_PROFILE, ProfileRepository } from './profileRepository';
import { RolloutRepository, rolloutRows } from './rolloutRepository';
import { ScheduleRepository } from './scheduleRepository';
import { sessionRows } from './sessionRepository';
import { ENGINES, testStores } from '../sim/testing/testStores';
import { UnitOfWork } from './unitOfWork';
import { UpgradeRepository, upgradeRows } from './upgradeRepository';
import { UserRepository } from './userRepository';

const enrolment = (mac: string, serial: string): ApAuthorizationRecord => ({
  mac,
  status: 'pending',
  certSerial: serial,
  certFingerprint: `SHA256:${serial}`,
  certExpiresAt: '2027-01-01T00:00:00.000Z',
  enrolledVia: 'join-token',
  enrolledAt: '2026-01-01T00:00:00.000Z',
  enrolledFrom: '127.0.0.1',
  changedAt: '2026-01-01T00:00:00.000Z',
  changedBy: 'enrolment',
});

// Every repository on both engines: what PostgreSQL will run for several console nodes is what SQLite runs today.
describe.each(ENGINES)('the repositories (%s)', (engine) => {
  const stores = testStores(engine);

  it('AP authorization: one certificate per MAC unless replaced, one use per token, even bound to a MAC', async () => {
    const { db } = await stores.open();
    expect(await apAuthorizationRows.saveEnrolment(db, enrolment('0a00.0000.0001', 'AA01'), false)).toBe(true);
    expect(await apAuthorizationRows.saveEnrolment(db, enrolment('0a00.0000.0001', 'AA02'), false)).toBe(false);
    expect((await apAuthorizationRows.get(db, '0a00.0000.0001'))?.certSerial).toBe('AA01');
    expect(await apAuthorizationRows.saveEnrolment(db, { ...enrolment('0a00.0000.0001', 'AA03'), status: 'approved' }, true)).toBe(true);
    expect(await apAuthorizationRows.get(db, '0a00.0000.0001')).toMatchObject({ certSerial: 'AA03', status: 'approved' });
    expect(await apAuthorizationRows.setStatus(db, '0a00.0000.0001', 'revoked', 'admin')).toBe(true);
    expect(await apAuthorizationRows.setStatus(db, '0a00.0000.0009', 'revoked', 'admin')).toBe(false);
    expect(await apAuthorizationRows.count(db)).toBe(1);

    const bound = await apAuthorizationRows.createToken(db, 'h1', '0a00.0000.0002', 'admin', '2999-01-01T00:00:00.000Z');
    await apAuthorizationRows.createToken(db, 'h2', null, 'admin', '2000-01-01T00:00:00.000Z');
    expect(await apAuthorizationRows.consumeToken(db, 'h1', '0a00.0000.0003')).toBe(false);
    expect(await apAuthorizationRows.consumeToken(db, 'h2', '0a00.0000.0003')).toBe(false);
    expect(await Promise.all([apAuthorizationRows.consumeToken(db, 'h1', '0a00.0000.0002'), apAuthorizationRows.consumeToken(db, 'h1', '0a00.0000.0002')])).toEqual(
      expect.arrayContaining([true, false]),
    );
    expect((await apAuthorizationRows.tokens(db)).map((token) => [token.id, token.usedByMac])).toEqual([
      [bound.id + 1, null],
      [bound.id, '0a00.0000.0002'],
    ]);
    expect(await apAuthorizationRows.deleteToken(db, bound.id)).toBe(true);
    expect(await apAuthorizationRows.delete(db, '0a00.0000.0001')).toBe(true);
    expect(await apAuthorizationRows.all(db)).toEqual([]);
  });

  it('accounts: names in any case are one account, and removing it takes its sessions and SSH keys', async () => {
    const { db } = await stores.open();
    const users = new UserRepository(() => Date.parse('2026-01-01T00:00:00.000Z'));
    expect(await users.insert(db, 'Operator', 'monitor', 'hash')).toMatchObject({ username: 'Operator', role: 'monitor' });
    expect(await users.insert(db, 'OPERATOR', 'admin', 'hash')).toBeNull();
    expect(await users.find(db, 'operator')).toMatchObject({ username: 'Operator' });
    // The page's language, kept per account: none until the account picks one.
    expect(await users.find(db, 'Operator')).toMatchObject({ locale: null });
    expect(await users.setLocale(db, 'operator', 'zh-CN')).toBe(true);
    expect(await users.find(db, 'Operator')).toMatchObject({ locale: 'zh-CN' });
    expect(await users.setLocale(db, 'nobody', 'fr')).toBe(false);
    await sessionRows.insert(db, { idHash: 'session-1', username: 'operator', createdMs: 1_700_000_000_000, lastSeenMs: 1_700_000_000_000 });
    expect(await sessionRows.slide(db, 'session-1', 1_700_000_060_000, 1_600_000_000_000, 1_600_000_000_000)).toMatchObject({ lastSeenMs: 1_700_000_060_000 });
    const key = parsePublicKeyLine(ed25519PublicKeyLine('noc@laptop'));
    if (!key.ok) throw new Error('test key');
    const keys = new SshKeys(db);
    expect(await keys.add('Operator', key.key, key.blob)).toMatchObject({ keyType: 'ssh-ed25519', comment: 'noc@laptop' });
    expect(await keys.add('operator', key.key, key.blob)).toBeNull();
    expect(await keys.keysOf('OPERATOR')).toHaveLength(1);
    expect(await users.delete(db, 'operator')).toBe(true);
    expect(await sessionRows.delete(db, 'session-1')).toBeNull();
    expect(await keys.list('Operator')).toEqual([]);
  });

  it('settings kept with their rows: the CLI host name, the last catalog check, trusted digests', async () => {
    let opened = await stores.open();
    await (await HostnameStore.load(opened.db, () => 'C9120AXI-B')).set('lab-ewc');
    await catalogCheckRows.save(opened.db, '2026-01-01T00:00:00.000Z', '{"first":true}');
    await catalogCheckRows.save(opened.db, '2026-01-02T00:00:00.000Z', '{"second":true}');
    const trust = await DigestTrust.load(opened.db);
    const [first] = await trust.trust('desktop', [{ name: 'ap1g8', size: 3_500_000_000, sha256: 'ab'.repeat(32) }], 'admin');
    const [again] = await trust.trust('desktop', [{ name: 'ap1g8', size: 3_500_000_000, sha256: 'ab'.repeat(32) }], 'noc');
    expect(again).toEqual(first);

    opened = await stores.reopen(opened);
    const hostnames = await HostnameStore.load(opened.db, () => 'C9120AXI-B');
    expect(hostnames.get()).toBe('lab-ewc');
    await hostnames.set(null);
    expect((await HostnameStore.load(opened.db, () => 'C9120AXI-B')).get()).toBe('9120-EWC');
    expect(await catalogCheckRows.last(opened.db)).toBe('{"second":true}');
    expect((await DigestTrust.load(opened.db)).find('desktop', 'ab'.repeat(32))).toMatchObject({ name: 'ap1g8', size: 3_500_000_000, trustedBy: 'admin' });
  });

  it('profile: two saves at once each keep the fields the other named', async () => {
    const { db } = await stores.open();
    const box = new SecretBox(randomBytes(32));
    const profiles = await ProfileRepository.load(db, EMPTY_PROFILE, box);
    const save = (input: unknown) => profiles.save(db, imageDownloadProfileInputSchema.parse(input));
    await save({ mode: 'TFTP', imageServer: '10.0.0.5', imagePath: '/EWC', port: 69, parallelMode: false });
    await Promise.all([save({ parallelMode: true }), save({ cco: { catalogUrl: 'https://catalog.example.com', username: 'noc', password: 'Api-Key-1' } })]);
    expect(profiles.get()).toMatchObject({ mode: 'TFTP', parallelMode: true, tftp: { imageServer: '10.0.0.5' }, cco: { catalogUrl: 'https://catalog.example.com', password: 'Api-Key-1' } });
    expect((await ProfileRepository.load(db, EMPTY_PROFILE, box)).get()).toEqual(profiles.get());
  });

  it('the upgrade, its activation, schedules and the controller version: changed in memory, written by the unit of work', async () => {
    let opened = await stores.open();
    let unitOfWork = new UnitOfWork(opened.store, 60_000);
    const upgrades = await UpgradeRepository.load(opened.db, unitOfWork);
    const rollouts = await RolloutRepository.load(opened.db, unitOfWork, null);
    const schedules = await ScheduleRepository.load(opened.db, unitOfWork);
    const controller = await ControllerRepository.load(opened.db, unitOfWork, '17.9.4');

    const first = upgrades.create({ mode: 'TFTP', imageUrl: 'tftp://10.0.0.5/EWC', parallelMode: false, message: 'first' });
    upgrades.transition(first.id, 'Initiate', 'Activate');
    const second = upgrades.create({ mode: 'TFTP', imageUrl: 'tftp://10.0.0.5/EWC', parallelMode: false, message: 'second' });
    // Compare-and-set: the second of two moves from the same stage finds it moved.
    expect(upgrades.transition(first.id, 'Activate', 'Superseded', 'replaced', { supersededBy: second.id })).not.toBeNull();
    expect(upgrades.transition(first.id, 'Activate', 'Reload')).toBeNull();
    upgrades.transition(second.id, 'Initiate', 'Activate');
    upgrades.transition(second.id, 'Activate', 'Reload');
    rollouts.create(second.id, { strategy: 'rolling', waveSize: 1, errorThresholdPercent: 0 }, [['a'], ['b']], 'admin');
    rollouts.startWave(second.id, 0);
    rollouts.finishWave(second.id, 0, 1);
    rollouts.update({ ...rollouts.get(second.id)!, currentWave: 0, state: 'paused', pauseReason: 'wave 1 failed', pauseSentence: { code: 'pausedByAdmin', params: {} } });
    const soon = await schedules.create(opened.db, 'activate', '2026-06-01T02:00:00.000Z', null, { strategy: 'all', errorThresholdPercent: 0 }, 'admin');
    const later = await schedules.create(opened.db, 'download', '2026-06-02T02:00:00.000Z', null, null, 'admin');
    expect(schedules.end(soon.id, 'cancelled', 'Cancelled before it started')).toBe(true);
    expect(schedules.end(soon.id, 'started', 'too late')).toBe(false);
    expect(schedules.reschedule(later.id, '2026-06-03T02:00:00.000Z', null)).toBe(true);
    controller.setVersion('17.12.1');
    expect(await upgradeRows.list(opened.db)).toEqual([]);
    await unitOfWork.close();

    opened = await stores.reopen(opened);
    unitOfWork = new UnitOfWork(opened.store, 60_000);
    const history = await upgradeRows.list(opened.db);
    expect(history.map((upgrade) => `${upgrade.id} ${upgrade.stage} ${upgrade.supersededBy}`)).toEqual([`${second.id} Reload null`, `${first.id} Superseded ${second.id}`]);
    expect((await UpgradeRepository.load(opened.db, unitOfWork)).latest()).toMatchObject({ id: second.id, stage: 'Reload', lastBarStage: 'Reload' });
    const reloaded = await RolloutRepository.load(opened.db, unitOfWork, second.id);
    expect(reloaded.get(second.id)).toMatchObject({ state: 'paused', currentWave: 0, pauseReason: 'wave 1 failed', pauseSentence: { code: 'pausedByAdmin', params: {} } });
    expect(reloaded.waves(second.id).map((wave) => `${wave.state} ${wave.failed}`)).toEqual(['done 1', 'pending 0']);
    expect(await rolloutRows.summaries(opened.db, [first.id, second.id])).toEqual(new Map([[second.id, expect.objectContaining({ waveCount: 2, failed: 1 })]]));
    expect((await ScheduleRepository.load(opened.db, unitOfWork)).pending().map((scheduled) => `${scheduled.id} ${scheduled.at}`)).toEqual([`${later.id} 2026-06-03T02:00:00.000Z`]);
    expect((await ControllerRepository.load(opened.db, unitOfWork, '17.9.4')).version()).toBe('17.12.1');
    // A new upgrade after the restart is numbered after the last one.
    expect((await UpgradeRepository.load(opened.db, unitOfWork)).create({ mode: 'TFTP', imageUrl: 'x', parallelMode: false, message: 'third' }).id).toBe(second.id + 1);
    await unitOfWork.close();
  });
});
