import { countUpgradeAps, type UpgradeApCounts } from '../../lib/upgradeOutcome';
import { englishOf, type Sentence } from '../../lib/serverSentences';
import { UPGRADE_ENDS, type UpgradeStage } from '../../lib/upgradeStage';
import type { FleetReader } from '../fleet/fleetProjection';
import type { EventLog } from '../store/eventLog';
import type { UpgradeRecord, UpgradeRepository } from '../store/upgradeRepository';
import type { UnitOfWork } from '../store/unitOfWork';
import type { ConsoleNotifier } from './notifier';
import { syslogText } from './syslogText';

/**
 * The one way an upgrade's stage changes: compare-and-set on the stage (in memory, synchronously),
 * its log line, and a flush that writes them with everything the fleet changed so far in one
 * transaction; then one notification. An upgrade that ends keeps its APs' counts as they are at
 * that moment, so its history stays true after a later upgrade takes the same APs.
 */
export class UpgradeStages {
  constructor(
    private readonly upgrades: UpgradeRepository,
    private readonly fleet: FleetReader,
    private readonly log: EventLog,
    private readonly store: UnitOfWork,
    private readonly notifier: ConsoleNotifier,
  ) {}

  move(id: number, from: UpgradeStage, to: UpgradeStage, message?: Sentence, ending: { supersededBy?: number } = {}): UpgradeRecord | null {
    const apCounts = UPGRADE_ENDS.has(to) ? this.countAps(id) : undefined;
    const moved = this.upgrades.transition(id, from, to, message, { ...ending, apCounts });
    if (!moved) return null;
    const severity = to === 'Failed' ? 'error' : to === 'Cancelled' || to === 'Superseded' ? 'warning' : 'notice';
    this.log.write(syslogText.upgrade(`Upgrade ${id}: stage ${to}${message ? `: ${englishOf(message)}` : ''}`, severity));
    // Pages hear of the stage once it is written; a failed write stays pending for the next tick, and they are told what the console now does.
    const tell = () => this.notifier.upgradeChanged();
    this.store.flush().then(tell, (error: Error) => {
      console.error(`Store: upgrade ${id}'s stage ${to} is not written yet: ${error.message}`);
      tell();
    });
    return moved;
  }

  /** The APs of this upgrade as their rows stand now. O(APs): for an upgrade's end, the history's running upgrade and its view. */
  countAps(id: number): UpgradeApCounts {
    return countUpgradeAps(this.fleet.values(), { id, targetVersion: this.upgrades.get(id)?.targetVersion ?? null });
  }
}
