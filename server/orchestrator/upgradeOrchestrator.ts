import type { ActivationOptions, PredownloadTargets } from '../../lib/rollout';
import { isCancellable, type UpgradeView } from '../../lib/upgradeStage';
import type { ApSession } from '../capwap/apSession';
import type { AccessPointRecord } from '../fleet/accessPoint';
import type { ImageCache } from '../imageSource/imageCache';
import type { ImageSource } from '../imageSource/imageSource';
import type { ControllerRepository } from '../store/controllerRepository';
import type { StoredProfile } from '../store/profileRepository';
import type { RolloutRepository } from '../store/rolloutRepository';
import type { ScheduleRepository } from '../store/scheduleRepository';
import type { UpgradeOrigin, UpgradeRecord } from '../store/upgradeRepository';
import { ApActions } from './apActions';
import { ApJoinRouting } from './apJoinRouting';
import { JoinImageDownload } from './joinImageDownload';
import { NetworkReload } from './networkReload';
import type { ConsoleNotifier } from './notifier';
import { PredownloadRunner } from './predownloadRunner';
import { PredownloadStart } from './predownloadStart';
import { PredownloadTransitions } from './predownloadTransitions';
import { Rollout } from './rollout';
import { RunRecovery, type RunRecoveryDeps } from './runRecovery';
import { syslogText } from './syslogText';
import type { TransferProgress } from './transferProgress';
import { UpgradeCommands } from './upgradeCommands';
import type { PredownloadOptions } from './upgradeConflicts';
import type { UpgradeRun } from './upgradeRun';
import { UpgradeStages } from './upgradeStages';
import { upgradeView } from './upgradeView';

/** What the resume path needs, and the rest of the upgrade's parts. */
export interface OrchestratorDeps extends Omit<RunRecoveryDeps, 'transitions' | 'stages'> {
  rollouts: RolloutRepository;
  schedules: ScheduleRepository;
  controller: ControllerRepository;
  progress: TransferProgress;
  notifier: ConsoleNotifier;
  /** The saved image download profile (null until one is saved): where APs that join get their image. */
  savedProfile: () => StoredProfile | null;
}

/**
 * Holds the current run and wires the upgrade's parts: Save & Download (PredownloadStart), the
 * commands on an accepted upgrade (UpgradeCommands), the run itself (PredownloadRunner: fetch each
 * file once, deliver through bounded slots, retry, move the bar), the activation, the download at
 * join and the resume after a restart; it routes APs joining and leaving. It reaches the browser
 * only through the notifier.
 */
export class UpgradeOrchestrator {
  private run: UpgradeRun | null = null;
  private readonly reload: NetworkReload;
  private readonly rollout: Rollout;
  /** Retry now, Abort and Exclude for one AP. */
  readonly apActions: ApActions;
  private readonly recovery: RunRecovery;
  private readonly runner: PredownloadRunner;
  /** The image download at join, for APs that join while no predownload or activation runs. */
  private readonly joinDownloads: JoinImageDownload;
  private readonly starts: PredownloadStart;
  /** The commands, also in their synchronous form that server/app composes with an audit line in one flush. */
  readonly commands: UpgradeCommands;
  private readonly joins: ApJoinRouting;

  constructor(private readonly deps: OrchestratorDeps) {
    const transitions = new PredownloadTransitions(deps.aps, deps.log, deps.notifier);
    const stages = new UpgradeStages(deps.upgrades, deps.aps.reader, deps.log, deps.store, deps.notifier);
    this.reload = new NetworkReload({ ...deps, transitions, stages, rejoinTimeoutMs: deps.config.rejoinTimeoutMs });
    this.rollout = new Rollout({ ...deps, stages, reload: this.reload, activationEnded: () => this.joinDownloads.activationEnded(this.deps.upgrades.latest()) });
    this.joinDownloads = new JoinImageDownload({ ...deps, transitions });
    this.runner = new PredownloadRunner({ ...deps, links: deps.registry, transitions, stages }, () => this.run);
    this.apActions = new ApActions({
      ...deps,
      transitions,
      run: () => {
        const run = this.run;
        const latest = this.deps.upgrades.latest();
        return run && !run.cancelled && latest?.id === run.id && isCancellable(latest.stage) ? run : null;
      },
      retry: (run, mac, unscheduled) => this.runner.retry(run, mac, unscheduled),
      checkStage: (run) => this.runner.checkStage(run),
      retryAtJoin: (ap) => this.joinDownloads.retryNow(ap, this.deps.upgrades.latest()),
      abortAtJoin: (ap) => this.joinDownloads.abortNow(ap),
    });
    // Restart hooks: the resume path rebuilds a run and hands it back through these.
    this.recovery = new RunRecovery(
      { ...deps, transitions, stages },
      {
        newRun: (id, source, cache, parallelMode) => this.newRun(id, source, cache, parallelMode),
        continueRun: (run) => this.runner.background(run, this.runner.execute(run)),
        scheduleRetry: (run, mac, delayMs) => this.runner.delivery.scheduleRetry(run, mac, delayMs),
        joinedHolding: (run, mac, held) => this.runner.delivery.joinedHolding(run, mac, held),
        // A restart during Reload: the activation goes on from the wave its tables say.
        resumeReload: () => this.rollout.continueAfterRestart(),
      },
    );
    this.starts = new PredownloadStart(
      { ...deps, stages, runner: this.runner },
      {
        endCurrentRun: () => this.run?.stop(),
        newRun: (id, source, cache, parallelMode) => this.newRun(id, source, cache, parallelMode),
        yieldJoinDownloads: (reason) => this.joinDownloads.yieldToPredownload(reason),
      },
    );
    const { reload, recovery, runner, joinDownloads } = this;
    this.joins = new ApJoinRouting({ ...deps, reload, recovery, runner, joinDownloads, run: () => this.run });
    this.commands = new UpgradeCommands({ ...deps, stages, runner: this.runner, rollout: this.rollout, apActions: this.apActions, run: () => this.run });
  }

  /** Whether the running upgrade (while none runs, the image download at join) already holds the image for this AP image type. */
  imageFetchedFor(imageType: string): boolean {
    if (!this.predownloadRunning()) return this.joinDownloads.imageHeldFor(imageType);
    return (this.run?.jobFor('ap', imageType)?.image ?? null) !== null;
  }

  /** Place in line of each image waiting for a delivery slot, keyed by `imageKey` (1 is next). */
  queuePositions(): Map<string, number> {
    if (!this.predownloadRunning()) return this.joinDownloads.queuePositions();
    return this.run && !this.run.cancelled ? this.run.deliveries.positions() : new Map();
  }

  /**
   * After a restart: a running upgrade carries on where the database says it was (runRecovery.ts).
   * `takeover`: this node took the lead from another node (server/cluster/), whose upgrade it carries on.
   */
  recoverAfterRestart(takeover: { node: string } | null = null): Promise<void> {
    this.joinDownloads.recover();
    return this.recovery.recover(takeover);
  }

  /** Whether a predownload runs: from the moment it is accepted until it reaches Activate or ends. */
  predownloadRunning(): boolean {
    const latest = this.deps.upgrades.latest();
    return latest !== null && isCancellable(latest.stage);
  }

  /** Save & Download (predownloadStart.ts). */
  startPredownload(profile: StoredProfile, targets: PredownloadTargets | null = null, origin?: UpgradeOrigin, options: PredownloadOptions = {}): Promise<UpgradeRecord> {
    return this.starts.start(profile, targets, origin, options);
  }

  /** A run of this upgrade, now the current one. */
  private newRun(id: number, source: ImageSource, cache: ImageCache, parallelMode: boolean): UpgradeRun {
    const run = this.runner.newRun(id, source, cache, parallelMode);
    run.targetsFrom(this.deps.upgrades.get(id));
    this.run = run;
    return run;
  }

  /** Activate, the activation's Pause, Resume and Abort, Cancel and a site tag's abort (upgradeCommands.ts). */
  activate(options: ActivationOptions = { strategy: 'all', errorThresholdPercent: 0 }, startedBy = 'admin'): Promise<void> {
    return this.commands.activate(options, startedBy);
  }

  activation(action: 'pause' | 'resume' | 'abort', options: { reason?: string; windowEnd?: string | null } = {}): Promise<void> {
    return this.commands.activation(action, options);
  }

  cancel(): Promise<void> {
    return this.commands.cancel();
  }

  abortSiteTag(siteTag: string): Promise<AccessPointRecord[] | null> {
    return this.commands.abortSiteTag(siteTag);
  }

  apJoined(session: ApSession): void {
    this.joins.joined(session);
  }

  apLeft(mac: string): void {
    this.deps.notifier.apChanged(mac);
  }

  apLog(mac: string, text: string): void {
    const ap = this.deps.aps.get(mac);
    if (ap) this.deps.log.write(syslogText.apLog(ap.name, text));
  }

  /** Stops all work without changing any state, so the next start resumes the run (a restart, a graceful stop). */
  dispose(): void {
    this.starts.dispose();
    this.run?.stop();
    this.reload.dispose();
    this.recovery.dispose();
    this.joinDownloads.dispose();
  }

  /** After an admin's trust decision: the held files it covers go on to their APs. */
  bundleTrusted(): void {
    this.run?.hold?.recheck();
    this.deps.notifier.upgradeChanged();
  }

  /** Resolves once this upgrade knows whether its bundle waits for an admin's trust (or it ended). */
  async bundleTrustKnown(upgradeId: number): Promise<void> {
    if (this.run?.id === upgradeId) await this.run.trustKnown;
  }

  /** The upgrade as the API and the page show it. */
  view(): UpgradeView {
    const latest = this.deps.upgrades.latest();
    return upgradeView(latest, this.run, { ...this.rollout.view(latest?.id ?? null), scheduled: this.deps.schedules.pending(), controllerVersion: this.deps.controller.version() });
  }
}
