import { PREDOWNLOAD_ACTIVE } from '../../lib/predownloadStatus';
import { sentence, type Sentence } from '../../lib/serverSentences';
import type { ApRegistry } from '../capwap/apRegistry';
import type { AccessPointRecord, AccessPointRepository } from '../store/accessPointRepository';
import type { EventLog } from '../store/eventLog';
import type { ConsoleNotifier } from './notifier';
import type { PredownloadTransitions } from './predownloadTransitions';
import { SaidError } from './saidError';
import { syslogText } from './syslogText';
import type { TransferProgress } from './transferProgress';
import type { UpgradeRun } from './upgradeRun';

export interface ApActionsDeps {
  aps: AccessPointRepository;
  log: EventLog;
  progress: TransferProgress;
  transitions: PredownloadTransitions;
  registry: () => ApRegistry;
  notifier: ConsoleNotifier;
  /** The predownload under way, or null. */
  run: () => UpgradeRun | null;
  /** `unscheduled`: no retry was pending (the AP had used its retries up, or its failure is not retried), so this one is counted now. */
  retry: (run: UpgradeRun, mac: string, unscheduled: boolean) => void;
  checkStage: (run: UpgradeRun) => void;
  /** Retry now of a failed download at join: why it cannot, or null once it started again. */
  retryAtJoin: (ap: AccessPointRecord) => Sentence | null;
  /** Abort of a download at join under way or waiting for its retry: why it cannot, or null once stopped. */
  abortAtJoin: (ap: AccessPointRecord) => Sentence | null;
}

/** What the action's state does not allow; `missing` when there is no such AP (the API answers 404, else 409). */
export class ApActionError extends SaidError {
  constructor(
    said: Sentence | string,
    readonly missing = false,
  ) {
    super(said);
  }
}

/** The per-AP actions of the AP table: Retry now, Abort, Exclude from activation. */
export class ApActions {
  constructor(private readonly deps: ApActionsDeps) {}

  /**
   * A failed AP tries again now, without waiting for its backoff: one of the predownload under way, or one
   * whose download at join failed (out of any upgrade), which that download retries by the same count rule.
   */
  retryNow(mac: string): AccessPointRecord {
    const failed = this.deps.aps.get(mac);
    if (!failed) throw new ApActionError(sentence('noSuchAp', { mac }), true);
    if (failed.predownloadStatus !== 'Failed') throw new ApActionError(sentence('apNotFailed', { name: failed.name, status: failed.predownloadStatus }));
    if (failed.upgradeId === null) {
      const refused = this.deps.retryAtJoin(failed);
      if (refused) throw new ApActionError(refused);
      return this.deps.aps.get(mac)!;
    }
    const { ap, run } = this.inRun(mac);
    const scheduled = run.retryTimers.has(mac);
    run.clearRetry(mac);
    this.deps.log.write(syslogText.apEvent(ap, 'Image Predownload retried now by the administrator'));
    this.deps.retry(run, mac, !scheduled);
    return this.deps.aps.get(mac)!;
  }

  /** Stops this one AP's predownload, or its download at join (its partial files are removed); the others go on. */
  abort(mac: string): AccessPointRecord {
    const atJoin = this.deps.aps.get(mac);
    if (atJoin && atJoin.upgradeId === null) {
      const refused = this.deps.abortAtJoin(atJoin);
      if (refused) throw new ApActionError(refused);
      return this.deps.aps.get(mac)!;
    }
    const { ap, run } = this.inRun(mac);
    const waiting = ap.predownloadStatus === 'Failed' && run.retryTimers.has(mac);
    if (!PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus) && !waiting) throw new ApActionError(sentence('apNoPredownload', { name: ap.name, status: ap.predownloadStatus }));
    run.clearRetry(mac);
    run.pending.delete(mac);
    for (const job of run.jobs) job.macs.delete(mac);
    const reason = 'Predownload aborted for this AP by the administrator';
    this.deps.transitions.move(mac, ap.predownloadStatus, 'Aborted', { nextRetryTime: null, lastError: reason }, syslogText.apEvent(ap, 'Image Predownload Aborted', 'warning'));
    this.deps.progress.clear(mac);
    void this.deps.registry().get(mac)?.abort(reason);
    this.deps.checkStage(run);
    return this.deps.aps.get(mac)!;
  }

  /** Keeps an AP out of the activation (or lets it back in); it keeps its predownloaded image as backup. */
  exclude(mac: string, excluded: boolean): AccessPointRecord {
    const ap = this.deps.aps.get(mac);
    if (!ap) throw new ApActionError(sentence('noSuchAp', { mac }), true);
    if (ap.predownloadStatus === 'Reloading') throw new ApActionError(sentence('apReloadingAlready', { name: ap.name }));
    const changed = this.deps.aps.setActivationExcluded(mac, excluded)!;
    this.deps.notifier.apChanged(mac);
    this.deps.log.write(syslogText.apEvent(ap, excluded ? 'Excluded from activation by the administrator' : 'Included in activation again by the administrator'));
    return changed;
  }

  private inRun(mac: string): { ap: AccessPointRecord; run: UpgradeRun } {
    const ap = this.deps.aps.get(mac);
    if (!ap) throw new ApActionError(sentence('noSuchAp', { mac }), true);
    const run = this.deps.run();
    if (!run || ap.upgradeId !== run.id) throw new ApActionError(sentence('apNotInPredownload', { name: ap.name }));
    return { ap, run };
  }
}
