import type { PredownloadStatus } from '../../lib/predownloadStatus';
import type { AccessPointRecord, AccessPointRepository, TransitionChanges } from '../store/accessPointRepository';
import type { EventLine, EventLog } from '../store/eventLog';
import type { ConsoleNotifier } from './notifier';

/**
 * The one way an AP's predownload status changes: compare-and-set in the store, its event
 * lines, one notification. Returns null when the AP was no longer in `from`.
 */
export class PredownloadTransitions {
  constructor(
    private readonly aps: AccessPointRepository,
    private readonly log: EventLog,
    private readonly notifier: ConsoleNotifier,
  ) {}

  move(mac: string, from: PredownloadStatus, to: PredownloadStatus, changes: TransitionChanges = {}, lines?: EventLine | readonly EventLine[]): AccessPointRecord | null {
    const moved = this.aps.transition(mac, from, to, changes);
    if (!moved) return null;
    for (const line of lines === undefined ? [] : 'text' in lines ? [lines] : lines) this.log.write(line);
    this.notifier.apChanged(mac);
    return moved;
  }

  /** Moves the AP from whatever state it is in now, if that state may go to `to`. */
  moveFromCurrent(mac: string, to: PredownloadStatus, allowedFrom: readonly PredownloadStatus[], changes: TransitionChanges = {}, lines?: EventLine | readonly EventLine[]): AccessPointRecord | null {
    const current = this.aps.get(mac);
    if (!current || !allowedFrom.includes(current.predownloadStatus)) return null;
    return this.move(mac, current.predownloadStatus, to, changes, lines);
  }
}
