import { targetsAreSiteTag, type ActivationOptions } from '../../lib/rollout';
import { englishOf, sentence } from '../../lib/serverSentences';
import { isCancellable } from '../../lib/upgradeStage';
import type { AccessPointRecord, AccessPointRepository } from '../store/accessPointRepository';
import type { EventLog } from '../store/eventLog';
import type { UnitOfWork } from '../store/unitOfWork';
import type { UpgradeRepository } from '../store/upgradeRepository';
import { ApActionError, type ApActions } from './apActions';
import type { PredownloadRunner } from './predownloadRunner';
import type { Rollout } from './rollout';
import { syslogText } from './syslogText';
import { UpgradeConflictError } from './upgradeConflicts';
import type { UpgradeRun } from './upgradeRun';
import type { UpgradeStages } from './upgradeStages';

export interface UpgradeCommandsDeps {
  aps: AccessPointRepository;
  upgrades: UpgradeRepository;
  log: EventLog;
  store: UnitOfWork;
  stages: UpgradeStages;
  runner: PredownloadRunner;
  rollout: Rollout;
  apActions: ApActions;
  /** The run the coordinator holds now, if any. */
  run: () => UpgradeRun | null;
}

const CANCEL_REASON = sentence('predownloadCancelled');
const CANCEL_TEXT = englishOf(CANCEL_REASON);

/** The commands on an accepted upgrade (Cancel, a site tag's abort, Activate and the activation's Pause, Resume and Abort), each refused when the upgrade's state does not allow it. */
export class UpgradeCommands {
  constructor(private readonly deps: UpgradeCommandsDeps) {}

  /** Activate: the stage moves to Reload and the first wave reloads; resolves once that is written. */
  async activate(options: ActivationOptions, startedBy: string): Promise<void> {
    this.activateNow(options, startedBy);
    await this.deps.store.flush();
  }

  /**
   * Activate's change on the projections, synchronous from check to change (compare-and-set); the unit of
   * work writes it. A use case stages its audit line after this and then awaits the flush, so the two commit together.
   */
  activateNow(options: ActivationOptions, startedBy: string): void {
    const { deps } = this;
    const latest = deps.upgrades.latest();
    if (!latest || latest.stage !== 'Activate') {
      throw new UpgradeConflictError(sentence('activateNotReady'));
    }
    if (deps.rollout.candidates(latest).length === 0) throw new UpgradeConflictError(sentence('everyApExcluded'));
    const how = options.strategy === 'rolling' ? 'in waves' : 'all at once';
    const reloading = sentence(options.strategy === 'rolling' ? 'reloadingInWaves' : 'reloadingAllAtOnce', { version: String(latest.targetVersion) });
    const moved = deps.stages.move(latest.id, 'Activate', 'Reload', reloading);
    if (!moved) throw new UpgradeConflictError(sentence('upgradeChangedState'));
    deps.log.write(syslogText.upgrade(`Activate: reloading the network to AP image ${latest.targetVersion} ${how}`));
    deps.rollout.start(moved, options, startedBy);
  }

  /** Pause, Resume or Abort of the activation under way; resolves once the change is written. */
  async activation(action: 'pause' | 'resume' | 'abort', options: { reason?: string; windowEnd?: string | null }): Promise<void> {
    this.activationNow(action, options);
    await this.deps.store.flush();
  }

  /** Pause, Resume or Abort on the projections (see `activateNow`). */
  activationNow(action: 'pause' | 'resume' | 'abort', options: { reason?: string; windowEnd?: string | null }): void {
    const { rollout, upgrades } = this.deps;
    const latest = upgrades.latest();
    if (!latest || latest.stage !== 'Reload') throw new UpgradeConflictError(sentence('noActivationInProgress'));
    if (action === 'pause') rollout.pause(latest.id, options.reason ?? sentence('pausedByAdmin'));
    else if (action === 'resume') rollout.resume(latest.id, options.windowEnd ?? null);
    else rollout.abort(latest.id);
  }

  /** Cancel: every AP of the run stops; resolves once the cancel is written. */
  async cancel(): Promise<void> {
    this.cancelNow();
    await this.deps.store.flush();
  }

  /** Cancel on the projections (see `activateNow`). */
  cancelNow(): void {
    const { deps } = this;
    const latest = deps.upgrades.latest();
    const run = deps.run();
    if (!latest || !isCancellable(latest.stage) || !run || run.id !== latest.id) {
      throw new UpgradeConflictError(sentence('noPredownloadInProgress'));
    }
    deps.runner.cancel(run, CANCEL_TEXT);
    // The stage moves last, so the counts it keeps for the history are the rows as the cancel left them.
    deps.stages.move(latest.id, latest.stage, 'Cancelled', CANCEL_REASON);
    deps.log.write(syslogText.upgrade(CANCEL_TEXT, 'warning'));
  }

  /**
   * IOS-XE 17.15's `ap image predownload site-tag NAME abort`: a predownload of that site tag alone ends as
   * Cancel ends it (null is returned); from a wider one, the site's APs still at it stop as each one's Abort
   * stops it, and the others go on (the APs stopped are returned).
   */
  async abortSiteTag(siteTag: string): Promise<AccessPointRecord[] | null> {
    const stopped = this.abortSiteTagNow(siteTag);
    await this.deps.store.flush();
    return stopped;
  }

  /** A site tag's abort on the projections (see `activateNow`). */
  abortSiteTagNow(siteTag: string): AccessPointRecord[] | null {
    const { deps } = this;
    const latest = deps.upgrades.latest();
    const run = deps.run();
    if (!latest || !isCancellable(latest.stage) || !run || run.id !== latest.id) throw new UpgradeConflictError('No predownload is in progress.');
    if (targetsAreSiteTag(latest.targets, siteTag)) {
      this.cancelNow();
      return null;
    }
    const stopped: AccessPointRecord[] = [];
    for (const ap of [...deps.aps.reader.values()]) {
      if (ap.upgradeId !== run.id || ap.siteTag !== siteTag) continue;
      try {
        stopped.push(deps.apActions.abort(ap.mac));
      } catch (error) {
        // Already done (Complete, Not Supported, or failed for good): nothing of it to stop.
        if (!(error instanceof ApActionError)) throw error;
      }
    }
    if (stopped.length === 0) throw new UpgradeConflictError(sentence('siteTagNoPredownload', { siteTag }));
    // In the order the controller lists its APs.
    return stopped.sort((a, b) => (a.mac < b.mac ? -1 : 1));
  }
}
