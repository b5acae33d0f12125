import fs from 'node:fs';
import path from 'node:path';
import { VERSION_FILE } from '../../lib/imageBundle';
import { backupReplacementOf, describeBackupReplacement, type BackupReplacement } from '../../lib/backupReplacement';
import { runsVersion, upgradeResultText } from '../../lib/upgradeOutcome';
import { isCancellable, isUpgradeBusy, upgradeBusyMessage, upgradeStateOf, type UpgradeStage, type UpgradeView } from '../../lib/upgradeStage';
import type { ApSession } from '../capwap/apSession';
import type { AccessPointRecord } from '../fleet/accessPoint';
import { ImageCache } from '../imageSource/imageCache';
import { bundleUrl, type ImageSource } from '../imageSource/imageSource';
import type { ControllerRepository } from '../store/controllerRepository';
import type { StoredProfile } from '../store/profileRepository';
import type { RolloutRepository } from '../store/rolloutRepository';
import type { ScheduleRepository } from '../store/scheduleRepository';
import type { UpgradeOrigin, UpgradeRecord } from '../store/upgradeRepository';
import { describeTargets, targetsAreSiteTag, targetsMatcher, type ActivationOptions, type PredownloadTargets } from '../../lib/rollout';
import { probeBundleVersion } from './bundleVersion';
import { installReport } from './installLog';
import { ApActionError, ApActions } from './apActions';
import { NetworkReload } from './networkReload';
import { Rollout } from './rollout';
import { RunRecovery, type RunRecoveryDeps } from './runRecovery';
import type { ConsoleNotifier } from './notifier';
import { JoinImageDownload } from './joinImageDownload';
import { PredownloadRunner } from './predownloadRunner';
import { PredownloadTransitions } from './predownloadTransitions';
import { syslogText } from './syslogText';
import type { TransferProgress } from './transferProgress';
import type { UpgradeRun } from './upgradeRun';
import { UpgradeStages } from './upgradeStages';

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

/** An action that the upgrade's current state does not allow (the API answers 409). */
export class UpgradeConflictError extends Error {}

/** A predownload that would overwrite backup images with the running version: refused until the admin confirms (409). */
export class BackupReplacementError extends UpgradeConflictError {
  constructor(readonly replacement: BackupReplacement) {
    super(describeBackupReplacement(replacement));
  }
}

/** How a predownload treats APs that already run the bundle's version. */
export interface PredownloadOptions {
  /** The admin confirmed that their backup image will be replaced by the running one. */
  replaceBackup?: boolean;
}
export { RolloutConflictError } from './rollout';

const CANCEL_REASON = 'Predownload cancelled by the administrator';

/**
 * Owns the upgrade and answers its commands: Save & Download (the bundle's version read first),
 * Cancel, Activate and the activation's Pause, Resume and Abort; APs joining and leaving. The run
 * itself (fetch each file once, deliver through bounded slots, retry, move the bar) is the
 * PredownloadRunner's. It reaches the browser only through the notifier.
 */
export class UpgradeOrchestrator {
  private run: UpgradeRun | null = null;
  private readonly transitions: PredownloadTransitions;
  private readonly stages: UpgradeStages;
  private readonly reload: NetworkReload;
  private readonly rollout: Rollout;
  /** Retry now, Abort and Exclude for one AP. */
  readonly apActions: ApActions;
  private readonly recovery: RunRecovery;
  private readonly runner: PredownloadRunner;
  /** The image download at join, for APs that join while no predownload or activation runs. */
  private readonly joinDownloads: JoinImageDownload;
  /** Reads of a bundle's version before a predownload is accepted; a stop ends them. */
  private readonly probes = new AbortController();

  constructor(private readonly deps: OrchestratorDeps) {
    this.transitions = new PredownloadTransitions(deps.aps, deps.log, deps.notifier);
    this.stages = new UpgradeStages(deps.upgrades, deps.aps.reader, deps.log, deps.store, deps.notifier);
    this.reload = new NetworkReload({ ...deps, transitions: this.transitions, stages: this.stages, rejoinTimeoutMs: deps.config.rejoinTimeoutMs });
    this.rollout = new Rollout({ ...deps, stages: this.stages, reload: this.reload, activationEnded: () => this.joinDownloads.activationEnded(this.deps.upgrades.latest()) });
    this.joinDownloads = new JoinImageDownload({ ...deps, transitions: this.transitions });
    this.runner = new PredownloadRunner({ ...deps, links: deps.registry, transitions: this.transitions, stages: this.stages }, () => this.run);
    this.apActions = new ApActions({
      ...deps,
      transitions: this.transitions,
      run: () => {
        const run = this.run;
        const latest = this.deps.upgrades.latest();
        return run && !run.cancelled && latest?.id === run.id && isCancellable(latest.stage) ? run : null;
      },
      retry: (run, mac, unscheduled) => this.runner.retry(run, mac, unscheduled),
      checkStage: (run) => this.runner.checkStage(run),
      retryAtJoin: (ap) => this.joinDownloads.retryNow(ap, this.deps.upgrades.latest()),
    });
    // Restart hooks: the resume path rebuilds a run and hands it back through these.
    this.recovery = new RunRecovery(
      { ...deps, transitions: this.transitions, stages: this.stages },
      {
        newRun: (id, source, cache, parallelMode) => this.newRun(id, source, cache, parallelMode),
        continueRun: (run) => this.runner.background(run, this.runner.execute(run)),
        scheduleRetry: (run, mac, delayMs) =>
          run.retryTimers.set(
            mac,
            setTimeout(() => this.runner.retry(run, mac), delayMs),
          ),
        // A restart during Reload: the activation goes on from the wave its tables say.
        resumeReload: () => this.rollout.continueAfterRestart(),
      },
    );
  }

  /** Whether the running upgrade (while none runs, the image download at join) already holds the image for this AP image type. */
  imageFetchedFor(imageType: string): boolean {
    if (!this.predownloadRunning()) return this.joinDownloads.imageHeldFor(imageType);
    return (this.run?.jobFor('ap', imageType)?.image ?? null) !== null;
  }

  /** Place of each AP waiting for a delivery slot (1 is next). */
  queuePositions(): Map<string, number> {
    if (!this.predownloadRunning()) return this.joinDownloads.queuePositions();
    return this.run && !this.run.cancelled ? this.run.deliveries.positions() : new Map();
  }

  /** After a restart: a running upgrade carries on where the database says it was (runRecovery.ts). */
  recoverAfterRestart(): Promise<void> {
    this.joinDownloads.recover();
    return this.recovery.recover();
  }

  /** Whether a predownload runs: from the moment it is accepted until it reaches Activate or ends. */
  predownloadRunning(): boolean {
    const latest = this.deps.upgrades.latest();
    return latest !== null && isCancellable(latest.stage);
  }

  /**
   * Save & Download. The bundle's version is read first, so that a predownload of the version some
   * APs already run is refused until the admin confirms it (a schedule, which cannot ask, leaves
   * those APs out). A bundle whose version cannot be read still becomes an upgrade, which fails at once.
   */
  async startPredownload(profile: StoredProfile, targets: PredownloadTargets | null = null, origin?: UpgradeOrigin, options: PredownloadOptions = {}): Promise<UpgradeRecord> {
    this.assertCanStart();
    const source = this.deps.createImageSource(profile);
    const bundle = await probeBundleVersion(source, this.deps.config.dataDir, this.probes.signal, this.deps.progress.fetchCounter(), installReport(this.deps.log, source.displayUrl(VERSION_FILE)));
    if (this.probes.signal.aborted) throw new UpgradeConflictError('The controller is stopping: nothing was started.');
    // Another start may have won while the version was read.
    this.assertCanStart();
    const scheduled = origin?.via === 'schedule';
    if (bundle.ok) this.checkBackups(bundle.version, targetsMatcher(targets), scheduled, options);
    const imageUrl = bundleUrl(source);
    const cacheRoot = path.join(this.deps.config.dataDir, 'image-cache');
    const superseded = this.deps.upgrades.latest();
    // The upgrade row, its durable run (profile snapshot, cache folder) and its first line, changed in one
    // synchronous step: the unit of work writes them in one transaction.
    const record = this.deps.upgrades.create({
      mode: profile.mode,
      imageUrl,
      parallelMode: profile.parallelMode,
      message: `Predownload from ${imageUrl} to ${describeTargets(targets)}`,
      origin,
      targets,
    });
    // An upgrade waiting for Activate ends here, replaced: its history says by which one.
    if (superseded?.stage === 'Activate') {
      this.stages.move(superseded.id, 'Activate', 'Superseded', `Superseded by upgrade ${record.id} before it was activated`, { supersededBy: record.id });
    }
    if (bundle.ok) this.deps.upgrades.setTargets(record.id, bundle.version, null);
    const cacheDir = path.join(cacheRoot, `upgrade-${record.id}`);
    this.deps.runs.create(record.id, profile, cacheDir);
    this.deps.log.write(syslogText.upgrade(`Upgrade ${record.id}: stage Initiate: ${record.message}`));
    this.joinDownloads.yieldToPredownload(`a predownload takes precedence (upgrade ${record.id})`);
    this.run?.abort.abort();
    this.run?.dispose();
    // Images of an earlier bundle must never be resumed into this one's files.
    fs.rmSync(cacheRoot, { recursive: true, force: true });
    const run = this.newRun(record.id, source, new ImageCache(cacheDir, source), profile.parallelMode);
    this.deps.progress.clearAll();
    if (!bundle.ok) {
      this.runner.bundleUnreadable(run, bundle);
    } else {
      run.targetVersion = bundle.version;
      if (options.replaceBackup) {
        const replaced = backupReplacementOf(
          [...this.deps.aps.reader.values()].filter((ap) => run.isTarget(ap)),
          bundle.version,
        );
        if (replaced)
          this.deps.log.write(
            syslogText.upgrade(
              `Upgrade ${record.id}: confirmed by ${origin?.username ?? 'the administrator'}, replacing the backup image of ${replaced.count} AP(s) that already run ${bundle.version}`,
              'warning',
            ),
          );
      }
      this.runner.background(run, this.runner.execute(run));
    }
    // Nobody hears of the upgrade before its row, its run and its first lines are written.
    await this.deps.store.flush();
    this.deps.notifier.upgradeChanged();
    return bundle.ok ? record : this.deps.upgrades.get(record.id)!;
  }

  private assertCanStart(): void {
    const from: UpgradeStage = this.deps.upgrades.latest()?.stage ?? 'Idle';
    if (isUpgradeBusy(from)) throw new UpgradeConflictError(upgradeBusyMessage(from));
  }

  /** Refuses a predownload that would overwrite APs' backup images with the version they run, unless confirmed; a schedule leaves them out. */
  private checkBackups(version: string, isTarget: (ap: AccessPointRecord) => boolean, scheduled: boolean, options: PredownloadOptions): void {
    const targeted = [...this.deps.aps.reader.values()].filter(isTarget);
    if (scheduled) {
      if (targeted.length > 0 && targeted.every((ap) => runsVersion(ap, version))) throw new UpgradeConflictError(`Nothing to predownload: every targeted AP already runs ${version}`);
      return;
    }
    const replacement = backupReplacementOf(targeted, version);
    if (replacement && !options.replaceBackup) throw new BackupReplacementError(replacement);
  }

  /** A run of this upgrade; its targets come from the upgrade's row, so a resumed run keeps them. */
  private newRun(id: number, source: ImageSource, cache: ImageCache, parallelMode: boolean): UpgradeRun {
    const run = this.runner.newRun(id, source, cache, parallelMode);
    const record = this.deps.upgrades.get(id);
    run.isTarget = targetsMatcher(record?.targets ?? null);
    // A scheduled predownload cannot ask whether to replace a backup image: it leaves out the APs that run its version.
    const kept = record?.startedVia === 'schedule' ? record.targetVersion : null;
    run.leavesOut = (ap) => kept !== null && runsVersion(ap, kept);
    this.run = run;
    return run;
  }

  /** Activate: the stage moves to Reload and the first wave reloads; resolves once that is written. */
  async activate(options: ActivationOptions = { strategy: 'all', errorThresholdPercent: 0 }, startedBy = 'admin'): Promise<void> {
    const latest = this.deps.upgrades.latest();
    if (!latest || latest.stage !== 'Activate') {
      throw new UpgradeConflictError('Activate is possible once every AP has completed its predownload.');
    }
    if (this.rollout.candidates(latest).length === 0) throw new UpgradeConflictError('Every AP is excluded from activation: nothing to reload.');
    const how = options.strategy === 'rolling' ? 'in waves' : 'all at once';
    const moved = this.stages.move(latest.id, 'Activate', 'Reload', `Reloading the network to ${latest.targetVersion} ${how}`);
    if (!moved) throw new UpgradeConflictError('The upgrade changed state; try again.');
    this.deps.log.write(syslogText.upgrade(`Activate: reloading the network to AP image ${latest.targetVersion} ${how}`));
    this.rollout.start(moved, options, startedBy);
    await this.deps.store.flush();
  }

  /** Pause, Resume or Abort of the activation under way; resolves once the change is written. */
  async activation(action: 'pause' | 'resume' | 'abort', options: { reason?: string; windowEnd?: string | null } = {}): Promise<void> {
    const latest = this.deps.upgrades.latest();
    if (!latest || latest.stage !== 'Reload') throw new UpgradeConflictError('No activation is in progress.');
    if (action === 'pause') this.rollout.pause(latest.id, options.reason ?? 'paused by the administrator');
    else if (action === 'resume') this.rollout.resume(latest.id, options.windowEnd ?? null);
    else this.rollout.abort(latest.id);
    await this.deps.store.flush();
  }

  /** Cancel: every AP of the run stops; resolves once the cancel is written. */
  async cancel(): Promise<void> {
    const latest = this.deps.upgrades.latest();
    const run = this.run;
    if (!latest || !isCancellable(latest.stage) || !run || run.id !== latest.id) {
      throw new UpgradeConflictError('No predownload is in progress.');
    }
    this.runner.cancel(run, CANCEL_REASON);
    // The stage moves last, so the counts it keeps for the history are the rows as the cancel left them.
    this.stages.move(latest.id, latest.stage, 'Cancelled', CANCEL_REASON);
    this.deps.log.write(syslogText.upgrade(CANCEL_REASON, 'warning'));
    await this.deps.store.flush();
  }

  /**
   * IOS-XE 17.15's `ap image predownload site-tag NAME abort`: a predownload of that site tag alone ends as
   * Cancel ends it (null is returned); from a wider one, the site's APs still at it stop as each one's Abort
   * stops it, and the others go on (the APs stopped are returned).
   */
  async abortSiteTag(siteTag: string): Promise<AccessPointRecord[] | null> {
    const latest = this.deps.upgrades.latest();
    const run = this.run;
    if (!latest || !isCancellable(latest.stage) || !run || run.id !== latest.id) throw new UpgradeConflictError('No predownload is in progress.');
    if (targetsAreSiteTag(latest.targets, siteTag)) {
      await this.cancel();
      return null;
    }
    const stopped: AccessPointRecord[] = [];
    for (const ap of [...this.deps.aps.reader.values()]) {
      if (ap.upgradeId !== run.id || ap.siteTag !== siteTag) continue;
      try {
        stopped.push(this.apActions.abort(ap.mac));
      } catch (error) {
        // Already done (Complete, Not Supported, or failed for good): nothing of it to stop.
        if (!(error instanceof ApActionError)) throw error;
      }
    }
    if (stopped.length === 0) throw new UpgradeConflictError(`No AP of site tag ${siteTag} has a predownload in progress.`);
    // In the order the controller lists its APs.
    return stopped.sort((a, b) => (a.mac < b.mac ? -1 : 1));
  }

  apJoined(session: ApSession): void {
    let ap = this.deps.aps.upsertJoin(session.info);
    this.deps.notifier.apChanged(ap.mac);
    if (ap.predownloadStatus === 'Reloading') {
      const back = this.joinDownloads.rejoined(ap);
      if (!back) this.reload.rejoined(ap);
      // Back on the controller's version after a download at join, it is like any AP that joins: a predownload started meanwhile takes it.
      if (back?.predownloadStatus !== 'Joined') return;
      ap = back;
    }
    // Restart hook: while a resumed run waits for its APs to rejoin, it enrols nobody yet.
    if (this.recovery.apJoined(ap.mac)) return;
    const run = this.run;
    const latest = this.deps.upgrades.latest();
    // APs that join during a predownload take part in it, as the profile promises to APs that join later;
    // one that joins before the run enrolled its APs (at Initiate) is enrolled with them.
    if (run?.enrolled && latest?.id === run.id && isCancellable(latest.stage) && ap.upgradeId !== run.id && run.isTarget(ap) && !run.leavesOut(ap)) {
      this.runner.enrol(run, ap, true);
      this.runner.checkStage(run);
    } else if (!latest || !isCancellable(latest.stage)) {
      // A predownload under way handles (or leaves out) the APs that join; otherwise the image download at join does.
      this.joinDownloads.joined(ap, latest);
    }
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
    this.probes.abort();
    this.run?.abort.abort();
    this.run?.dispose();
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
    const stage: UpgradeStage = latest?.stage ?? 'Idle';
    const run = this.run && this.run.id === latest?.id && !this.run.cancelled ? this.run : null;
    return {
      upgradeId: latest?.id ?? null,
      stage,
      state: upgradeStateOf(stage),
      lastBarStage: latest?.lastBarStage ?? null,
      targetVersion: latest?.targetVersion ?? null,
      controllerVersion: this.deps.controller.version(),
      targetControllerVersion: latest?.targetControllerVersion ?? null,
      startedAt: latest?.startedAt ?? null,
      finishedAt: latest?.finishedAt ?? null,
      message: latest?.message ?? null,
      result: latest ? upgradeResultText(stage, latest.apCounts, latest.supersededBy) : null,
      fetches: run ? [...run.fetches.values()] : [],
      deliveries: run && isCancellable(stage) ? { active: run.deliveries.active, waiting: run.deliveries.waiting, limit: run.deliveries.limit } : null,
      bundleApproval: run && isCancellable(stage) ? (run.hold?.view() ?? null) : null,
      ...this.rollout.view(latest?.id ?? null),
      scheduled: this.deps.schedules.pending(),
      controllerTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
  }
}
