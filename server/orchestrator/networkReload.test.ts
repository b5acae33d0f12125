import { afterEach, describe, expect, it } from 'vitest';
import type { ApJoinInfo } from '../../lib/capwapEvents';
import type { ApRegistry } from '../capwap/apRegistry';
import { openTestStore } from '../sim/testing/testStores';
import { AccessPointRepository } from '../store/accessPointRepository';
import { EventLog } from '../store/eventLog';
import { UnitOfWork } from '../store/unitOfWork';
import { UpgradeRepository } from '../store/upgradeRepository';
import { NetworkReload } from './networkReload';
import { PredownloadTransitions } from './predownloadTransitions';
import { UpgradeStages } from './upgradeStages';

// The reload of one wave alone: a real store (a SQLite file), fake AP sessions that count the reloads they are
// told, and the flush of who is Reloading held back, so that an AP's join falls between the two.
const OLD = '17.9.4.27';
const NEW = '17.12.1.5';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function reloadOfOneWave() {
  const opened = await openTestStore();
  const unitOfWork = new UnitOfWork(opened.store, 60_000);
  const aps = await AccessPointRepository.load(opened.db, unitOfWork);
  const upgrades = await UpgradeRepository.load(opened.db, unitOfWork);
  const log = await EventLog.load(opened.db, unitOfWork, 1000);
  const notifier = { apChanged: () => undefined, upgradeChanged: () => undefined };
  const sessions = new Map<string, { reload(): Promise<{ ok: boolean; message: string }> }>();
  const reloads: string[] = [];
  // The flush NetworkReload waits for before telling anyone: the real one, once the test lets it go.
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const heldFlush = { flush: () => released.then(() => unitOfWork.flush()) } as unknown as UnitOfWork;
  const reload = new NetworkReload({
    aps,
    log,
    store: heldFlush,
    transitions: new PredownloadTransitions(aps, log, notifier),
    stages: new UpgradeStages(upgrades, aps.reader, log, unitOfWork, notifier),
    registry: () => ({ get: (mac: string) => sessions.get(mac) }) as unknown as ApRegistry,
    notifier,
    rejoinTimeoutMs: 60_000,
  });
  closers.push(async () => {
    reload.dispose();
    release();
    await unitOfWork.close();
    await opened.dispose();
  });
  const upgrade = upgrades.create({ mode: 'TFTP', imageUrl: 'tftp://127.0.0.1/EWC', parallelMode: false, message: 'Predownload' });
  /** An AP holding the new version as its backup image, Complete, and not connected. */
  const staged = (mac: string) => {
    const info: ApJoinInfo = { name: `AP-${mac.slice(-4)}`, mac, model: 'C9130AXI', imageType: 'ap1g7', primaryVersion: OLD, backupVersion: NEW, freeSpaceKb: 1 << 20, hostsController: false };
    aps.upsertJoin(info);
    for (const [from, to] of [
      ['None', 'Initiated'],
      ['Initiated', 'Predownloading'],
      ['Predownloading', 'Complete'],
    ] as const)
      aps.transition(mac, from, to, { upgradeId: upgrade.id, predownloadVersion: NEW });
  };
  /** The AP joins (again): it has a session, which counts the reloads it is told. */
  const connect = (mac: string) =>
    sessions.set(mac, {
      reload: () => {
        reloads.push(mac);
        return Promise.resolve({ ok: true, message: `Reloading to ${NEW}` });
      },
    });
  return { aps, reload, upgrade, reloads, staged, connect, release, flushed: () => released.then(() => unitOfWork.flush()) };
}

describe('the reload of a wave', () => {
  it('tells an AP that joins while the wave is being written to reload once, after who reloads is in the database', async () => {
    const w = await reloadOfOneWave();
    const mac = '0a00.0000.0001';
    w.staged(mac);
    w.reload.reloadWave(w.upgrade, [mac], () => undefined);
    expect(w.aps.get(mac)?.predownloadStatus).toBe('Reloading');
    // The AP joins (a controller restarted, the fleet coming back) before the wave's list is written.
    w.connect(mac);
    w.reload.rejoined(w.aps.get(mac)!);
    expect(w.reloads).toEqual([]);
    w.release();
    await w.flushed();
    await new Promise((resolve) => setImmediate(resolve));
    // Told twice, an AP swaps its images twice and comes back on the version it left.
    expect(w.reloads).toEqual([mac]);
  });

  it('tells an AP of a later activation again, one the same process told in an earlier one', async () => {
    const w = await reloadOfOneWave();
    const mac = '0a00.0000.0002';
    w.staged(mac);
    w.connect(mac);
    w.release();
    let done: string[] | null = null;
    w.reload.reloadWave(w.upgrade, [mac], (failed) => (done = failed));
    await w.flushed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(w.reloads).toEqual([mac]);
    // It comes back running the new version; the next activation stages the old one again and reloads it.
    w.aps.upsertJoin({ ...joinOf(w.aps.get(mac)!), primaryVersion: NEW, backupVersion: OLD });
    w.reload.rejoined(w.aps.get(mac)!);
    expect(done).toEqual([]);
    w.aps.transition(mac, 'Joined', 'Initiated', { predownloadVersion: OLD });
    w.aps.transition(mac, 'Initiated', 'Predownloading');
    w.aps.transition(mac, 'Predownloading', 'Complete');
    w.reload.reloadWave(w.upgrade, [mac], () => undefined);
    await w.flushed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(w.reloads).toEqual([mac, mac]);
  });
});

function joinOf(ap: { name: string; mac: string; model: string; imageType: string; hostsController: boolean }): ApJoinInfo {
  return { name: ap.name, mac: ap.mac, model: ap.model, imageType: ap.imageType, primaryVersion: OLD, backupVersion: NEW, freeSpaceKb: 1 << 20, hostsController: ap.hostsController };
}
