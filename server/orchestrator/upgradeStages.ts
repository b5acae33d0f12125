import type { UpgradeStage } from '../../lib/upgradeStage';
import type { EventLog } from '../store/eventLog';
import type { UpgradeRecord, UpgradeRepository } from '../store/upgradeRepository';
import type { WriteBehind } from '../store/writeBehind';
import type { ConsoleNotifier } from './notifier';
import { syslogText } from './syslogText';

/**
 * The one way an upgrade's stage changes: compare-and-set on the stage, its log line and
 * everything the fleet changed so far, in one transaction; then one notification.
 */
export class UpgradeStages {
  constructor(
    private readonly upgrades: UpgradeRepository,
    private readonly log: EventLog,
    private readonly store: WriteBehind,
    private readonly notifier: ConsoleNotifier,
  ) {}

  move(id: number, from: UpgradeStage, to: UpgradeStage, message?: string): UpgradeRecord | null {
    const moved = this.store.transaction(() => {
      const record = this.upgrades.transition(id, from, to, message);
      if (record) {
        const severity = to === 'Failed' ? 'error' : to === 'Cancelled' ? 'warning' : 'notice';
        this.log.write(syslogText.upgrade(`Upgrade ${id}: stage ${to}${message ? `: ${message}` : ''}`, severity));
      }
      return record;
    });
    if (moved) this.notifier.upgradeChanged();
    return moved;
  }
}
