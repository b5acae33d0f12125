import fs from 'node:fs';
import { backupReplacementOf } from '../../lib/backupReplacement';
import { VERSION_FILE } from '../../lib/imageBundle';
import { describeTargets, targetsMatcher, type PredownloadTargets } from '../../lib/rollout';
import { sentence, type Sentence } from '../../lib/serverSentences';
import { runsVersion } from '../../lib/upgradeOutcome';
import { isUpgradeBusy, upgradeBusySentence, type UpgradeStage } from '../../lib/upgradeStage';
import type { ConsoleConfig } from '../config';
import { ImageCache, imageCacheDirOf, imageCacheRootOf } from '../imageSource/imageCache';
import { bundleUrl, type ImageSource } from '../imageSource/imageSource';
import type { AccessPointRecord, AccessPointRepository } from '../store/accessPointRepository';
import type { EventLog } from '../store/eventLog';
import type { StoredProfile } from '../store/profileRepository';
import type { UnitOfWork } from '../store/unitOfWork';
import type { UpgradeOrigin, UpgradeRecord, UpgradeRepository } from '../store/upgradeRepository';
import type { UpgradeRunRepository } from '../store/upgradeRunRepository';
import { probeBundleVersion } from './bundleVersion';
import { installReport } from './installLog';
import type { ConsoleNotifier } from './notifier';
import type { PredownloadRunner } from './predownloadRunner';
import { syslogText } from './syslogText';
import type { TransferProgress } from './transferProgress';
import { BackupReplacementError, UpgradeConflictError, type PredownloadOptions } from './upgradeConflicts';
import type { UpgradeRun } from './upgradeRun';
import type { UpgradeStages } from './upgradeStages';

export interface PredownloadStartDeps {
  config: Pick<ConsoleConfig, 'dataDir'>;
  aps: AccessPointRepository;
  upgrades: UpgradeRepository;
  runs: UpgradeRunRepository;
  log: EventLog;
  store: UnitOfWork;
  progress: TransferProgress;
  notifier: ConsoleNotifier;
  stages: UpgradeStages;
  runner: PredownloadRunner;
  createImageSource: (profile: StoredProfile) => ImageSource;
}

/** What the coordinator lends a start: it owns which run is current and the image download at join. */
export interface StartHooks {
  /** The run before this one stops acting (its transfers end, its timers and queue are dropped). */
  endCurrentRun(): void;
  newRun(id: number, source: ImageSource, cache: ImageCache, parallelMode: boolean): UpgradeRun;
  /** Downloads at join stop: a predownload takes precedence. */
  yieldJoinDownloads(reason: string): void;
}

/** The upgrade's first line: every AP, or the targets in their own words (site tags, image types, models stay as typed). */
function startSentence(imageUrl: string, targets: PredownloadTargets | null | undefined): Sentence {
  const described = describeTargets(targets);
  return described === describeTargets(null) ? sentence('predownloadEveryAp', { imageUrl }) : sentence('predownloadTargets', { imageUrl, targets: described });
}

/**
 * Save & Download. The bundle's version is read first, so that a predownload of the version some
 * APs already run is refused until the admin confirms it (a schedule, which cannot ask, leaves
 * those APs out). A bundle whose version cannot be read still becomes an upgrade, which fails at once.
 */
export class PredownloadStart {
  /** Reads of a bundle's version before a predownload is accepted; a stop ends them. */
  private readonly probes = new AbortController();

  constructor(
    private readonly deps: PredownloadStartDeps,
    private readonly hooks: StartHooks,
  ) {}

  async start(profile: StoredProfile, targets: PredownloadTargets | null, origin: UpgradeOrigin | undefined, options: PredownloadOptions): Promise<UpgradeRecord> {
    const { deps } = this;
    this.assertCanStart();
    const source = deps.createImageSource(profile);
    const bundle = await probeBundleVersion(source, deps.config.dataDir, this.probes.signal, deps.progress.fetchCounter(), installReport(deps.log, source.displayUrl(VERSION_FILE)));
    if (this.probes.signal.aborted) throw new UpgradeConflictError(sentence('controllerStopping'));
    // Another start may have won while the version was read.
    this.assertCanStart();
    const scheduled = origin?.via === 'schedule';
    if (bundle.ok) this.checkBackups(bundle.version, targetsMatcher(targets), scheduled, options);
    const imageUrl = bundleUrl(source);
    const cacheRoot = imageCacheRootOf(deps.config.dataDir);
    const superseded = deps.upgrades.latest();
    // The upgrade row, its durable run (profile snapshot, cache folder) and its first line, changed in one
    // synchronous step: the unit of work writes them in one transaction.
    const record = deps.upgrades.create({
      mode: profile.mode,
      imageUrl,
      parallelMode: profile.parallelMode,
      message: startSentence(imageUrl, targets),
      origin,
      targets,
    });
    // An upgrade waiting for Activate ends here, replaced: its history says by which one.
    if (superseded?.stage === 'Activate') {
      deps.stages.move(superseded.id, 'Activate', 'Superseded', sentence('supersededBefore', { id: record.id }), { supersededBy: record.id });
    }
    if (bundle.ok) deps.upgrades.setTargets(record.id, bundle.version, null);
    const cacheDir = imageCacheDirOf(deps.config.dataDir, record.id);
    deps.runs.create(record.id, profile, cacheDir);
    deps.log.write(syslogText.upgrade(`Upgrade ${record.id}: stage Initiate: ${record.message}`));
    this.hooks.yieldJoinDownloads(`a predownload takes precedence (upgrade ${record.id})`);
    this.hooks.endCurrentRun();
    // Images of an earlier bundle must never be resumed into this one's files.
    fs.rmSync(cacheRoot, { recursive: true, force: true });
    const run = this.hooks.newRun(record.id, source, new ImageCache(cacheDir, source), profile.parallelMode);
    deps.progress.clearAll();
    if (!bundle.ok) {
      deps.runner.bundleUnreadable(run, bundle);
    } else {
      run.targetVersion = bundle.version;
      if (options.replaceBackup) this.logBackupsReplaced(run, bundle.version, origin);
      deps.runner.background(run, deps.runner.execute(run));
    }
    // Nobody hears of the upgrade before its row, its run and its first lines are written.
    await deps.store.flush();
    deps.notifier.upgradeChanged();
    return bundle.ok ? record : deps.upgrades.get(record.id)!;
  }

  /** Ends the version reads under way: a stopping controller starts nothing. */
  dispose(): void {
    this.probes.abort();
  }

  private assertCanStart(): void {
    const from: UpgradeStage = this.deps.upgrades.latest()?.stage ?? 'Idle';
    if (isUpgradeBusy(from)) throw new UpgradeConflictError(upgradeBusySentence(from));
  }

  /** Refuses a predownload that would overwrite APs' backup images with the version they run, unless confirmed; a schedule leaves them out. */
  private checkBackups(version: string, isTarget: (ap: AccessPointRecord) => boolean, scheduled: boolean, options: PredownloadOptions): void {
    const targeted = [...this.deps.aps.reader.values()].filter(isTarget);
    if (scheduled) {
      if (targeted.length > 0 && targeted.every((ap) => runsVersion(ap, version))) throw new UpgradeConflictError(sentence('nothingToPredownload', { version }));
      return;
    }
    const replacement = backupReplacementOf(targeted, version);
    if (replacement && !options.replaceBackup) throw new BackupReplacementError(replacement);
  }

  private logBackupsReplaced(run: UpgradeRun, version: string, origin: UpgradeOrigin | undefined): void {
    const replaced = backupReplacementOf(
      [...this.deps.aps.reader.values()].filter((ap) => run.isTarget(ap)),
      version,
    );
    if (!replaced) return;
    this.deps.log.write(
      syslogText.upgrade(`Upgrade ${run.id}: confirmed by ${origin?.username ?? 'the administrator'}, replacing the backup image of ${replaced.count} AP(s) that already run ${version}`, 'warning'),
    );
  }
}
