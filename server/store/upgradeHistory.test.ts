import { describe, expect, it } from 'vitest';
import type { VersionedAp } from '../../lib/upgradeOutcome';
import type { FleetReader } from '../fleet/fleetProjection';
import { ENGINES, testStores } from '../sim/testing/testStores';
import { UnitOfWork } from './unitOfWork';
import { UpgradeHistory } from './upgradeHistory';
import { UpgradeRepository } from './upgradeRepository';

// The history awaits the database (real I/O on PostgreSQL) and the run moves on meanwhile: what it says of an
// upgrade under way, its stage and its counts, must be of one moment. `moveOn` plays the run during the reads.
describe.each(ENGINES)('the upgrade history of a run under way (%s)', (engine) => {
  const stores = testStores(engine);

  async function console(moveOn: (upgrades: UpgradeRepository, aps: VersionedAp[]) => void) {
    const opened = await stores.open();
    const unitOfWork = new UnitOfWork(opened.store, 60_000);
    const upgrades = await UpgradeRepository.load(opened.db, unitOfWork);
    const aps: VersionedAp[] = [0, 1, 2].map(() => ({ predownloadStatus: 'None', primaryImage: '17.9.4.27', upgradeId: null }));
    const fleet = { values: () => aps.values() } as unknown as FleetReader;
    const upgrade = upgrades.create({ mode: 'TFTP', imageUrl: 'tftp://192.0.2.1/EWC/17_12_1_5', parallelMode: false, message: 'test' });
    await unitOfWork.flush();
    // The reads begin with a flush: once it is written, the run moves on before the rows are read back.
    const flush = unitOfWork.flush.bind(unitOfWork);
    let moved = false;
    unitOfWork.flush = async () => {
      await flush();
      if (!moved) moveOn(upgrades, aps);
      moved = true;
    };
    return { history: new UpgradeHistory(opened.db, unitOfWork, fleet, upgrades), upgrades, id: upgrade.id };
  }

  const enrolAll = (upgrades: UpgradeRepository, aps: VersionedAp[], id: number) => {
    upgrades.transition(id, 'Initiate', 'ControllerImageDownload');
    for (const ap of aps) Object.assign(ap, { predownloadStatus: 'Initiated', upgradeId: id });
  };

  it('lists it with the stage and the counts of the same moment', async () => {
    const { history, upgrades, id } = await console((repo, aps) => enrolAll(repo, aps, 1));
    const [entry] = await history.list();
    expect(entry.id).toBe(id);
    expect({ stage: entry.stage, total: entry.apCounts?.total }).toEqual({ stage: upgrades.get(id)!.stage, total: 3 });
    expect(entry.stage).toBe('ControllerImageDownload');
  });

  it('details it with the stage and the counts of the same moment', async () => {
    const { history, id } = await console((repo, aps) => enrolAll(repo, aps, 1));
    const detail = await history.get(id);
    expect({ stage: detail?.stage, initiated: detail?.apCounts?.initiated }).toEqual({ stage: 'ControllerImageDownload', initiated: 3 });
  });

  it('lists an upgrade started while the rows were read, newest first, after the one cancelled before it', async () => {
    const { history, id } = await console((repo) => {
      repo.transition(1, 'Initiate', 'Cancelled', 'cancelled');
      repo.create({ mode: 'TFTP', imageUrl: 'tftp://192.0.2.1/EWC/17_12_1_6', parallelMode: false, message: 'test' });
    });
    const entries = await history.list();
    expect(entries.map((entry) => [entry.id, entry.stage])).toEqual([
      [id + 1, 'Initiate'],
      [id, 'Cancelled'],
    ]);
  });
});
