import fs from 'node:fs';
import path from 'node:path';
import { CONTROLLER_VERSION_FILE, VERSION_FILE, isImageType } from '../../lib/imageBundle';
import type { ImageKind } from '../../lib/capwapEvents';
import { PREDOWNLOAD_ACTIVE, PREDOWNLOAD_RESTARTABLE, canTransition } from '../../lib/predownloadStatus';
import { UPGRADE_BAR_STAGES, UPGRADE_TERMINAL, isCancellable, upgradeStateOf, type UpgradeStage, type UpgradeView } from '../../lib/upgradeStage';
import type { ApRegistry } from '../capwap/apRegistry';
import { ApSessionError, type ApSession } from '../capwap/apSession';
import type { ConsoleConfig } from '../config';
import type { AccessPointRecord } from '../fleet/accessPoint';
import { checkCachedImage, SigningGate } from '../imageSigning/bundleSignature';
import { ImageCache, type CachedImage } from '../imageSource/imageCache';
import { ImageFetchError, ImageTypeNotOfferedError, type ImageSource } from '../imageSource/imageSource';
import type { AccessPointRepository } from '../store/accessPointRepository';
import type { ControllerRepository } from '../store/controllerRepository';
import type { EventLog } from '../store/eventLog';
import type { StoredProfile } from '../store/profileRepository';
import type { RolloutRepository } from '../store/rolloutRepository';
import type { ScheduleRepository } from '../store/scheduleRepository';
import type { UpgradeOrigin, UpgradeRecord, UpgradeRepository } from '../store/upgradeRepository';
import type { UpgradeRunRepository } from '../store/upgradeRunRepository';
import type { WriteBehind } from '../store/writeBehind';
import { describeTargets, targetsMatcher, type ActivationOptions, type PredownloadTargets } from '../../lib/rollout';
import { stopsOnCancel } from './actionPreview';
import { ApActions } from './apActions';
import { NetworkReload } from './networkReload';
import { Rollout } from './rollout';
import { RunRecovery } from './runRecovery';
import type { ConsoleNotifier } from './notifier';
import { PredownloadTransitions } from './predownloadTransitions';
import { downloadFailure, syslogText } from './syslogText';
import type { TransferProgress } from './transferProgress';
import { newImageJob, UpgradeRun, type DeliveryTicket, type ImageJob } from './upgradeRun';
import { UpgradeStages } from './upgradeStages';

/** `70512640 bytes in 0.61 s (115.6 MB/s); blksize 1468, windowsize 16, tsize 70512640` */
function describeFetch(image: CachedImage): string {
  const seconds = image.elapsedMs / 1000;
  const rate = seconds > 0 ? `${(image.size / 1e6 / seconds).toFixed(1)} MB/s` : 'instant';
  return `${image.size} bytes in ${seconds.toFixed(2)} s (${rate}); ${image.detail}`;
}

export interface OrchestratorDeps {
  config: ConsoleConfig;
  aps: AccessPointRepository;
  upgrades: UpgradeRepository;
  rollouts: RolloutRepository;
  schedules: ScheduleRepository;
  /** The durable side of the running upgrade, so a restarted controller carries on (runRecovery.ts). */
  runs: UpgradeRunRepository;
  controller: ControllerRepository;
  log: EventLog;
  store: WriteBehind;
  progress: TransferProgress;
  notifier: ConsoleNotifier;
  registry: () => ApRegistry;
  createImageSource: (profile: StoredProfile) => ImageSource;
}

/** An action that the upgrade's current state does not allow (the API answers 409). */
export class UpgradeConflictError extends Error {}
export { RolloutConflictError } from './rollout';

const CANCEL_REASON = 'Predownload cancelled by the administrator';

/**
 * Owns the upgrade: fetches each bundle file once, feeds every AP of that type from the
 * cache through a bounded number of delivery slots, retries failed APs with backoff, and
 * hands Activate to the network reload. Every check reads the fleet's counters, never a scan
 * per event. It reaches the browser only through the notifier.
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
  /** Image signing (#9): what each run's Initiate finds (verified manifest, allowed unsigned bundle, or the refusal); set before anything can deliver. */
  private readonly signatures = new WeakMap<UpgradeRun, SigningGate>();

  constructor(private readonly deps: OrchestratorDeps) {
    this.transitions = new PredownloadTransitions(deps.aps, deps.log, deps.notifier);
    this.stages = new UpgradeStages(deps.upgrades, deps.log, deps.store, deps.notifier);
    this.reload = new NetworkReload({ ...deps, transitions: this.transitions, stages: this.stages, rejoinTimeoutMs: deps.config.rejoinTimeoutMs });
    this.rollout = new Rollout({ ...deps, stages: this.stages, reload: this.reload });
    this.apActions = new ApActions({
      ...deps,
      transitions: this.transitions,
      run: () => {
        const run = this.run;
        const latest = this.deps.upgrades.latest();
        return run && !run.cancelled && latest?.id === run.id && isCancellable(latest.stage) ? run : null;
      },
      retry: (run, mac) => this.retry(run, mac),
      checkStage: (run) => this.checkStage(run),
    });
    // Restart hooks (#11): the resume path rebuilds a run and hands it back through these.
    this.recovery = new RunRecovery({ ...deps, transitions: this.transitions, stages: this.stages }, {
      newRun: (id, source, cache, parallelMode) => this.newRun(id, source, cache, parallelMode),
      continueRun: (run) => this.background(run, this.execute(run)),
      scheduleRetry: (run, mac, delayMs) => run.retryTimers.set(mac, setTimeout(() => this.retry(run, mac), delayMs)),
      // A restart during Reload: the activation goes on from the wave its tables say.
      resumeReload: () => this.rollout.continueAfterRestart(),
    });
  }

  /** Whether the running upgrade already holds the image for this AP image type. */
  imageFetchedFor(imageType: string): boolean {
    return (this.run?.jobFor('ap', imageType)?.image ?? null) !== null;
  }

  /** Place of each AP waiting for a delivery slot (1 is next). */
  queuePositions(): Map<string, number> {
    return this.run && !this.run.cancelled ? this.run.deliveries.positions() : new Map();
  }

  /** After a restart: a running upgrade carries on where the database says it was (runRecovery.ts). */
  recoverAfterRestart(): void {
    this.recovery.recover();
  }

  startPredownload(profile: StoredProfile, targets: PredownloadTargets | null = null, origin?: UpgradeOrigin): UpgradeRecord {
    const latest = this.deps.upgrades.latest();
    const from: UpgradeStage = latest?.stage ?? 'Idle';
    // A finished upgrade, or one waiting for Activate, may be replaced by a new predownload.
    if (!UPGRADE_TERMINAL.has(from) && from !== 'Activate') {
      throw new UpgradeConflictError(`An upgrade is already in progress (stage ${from}). Cancel it or wait for it to finish.`);
    }
    const source = this.deps.createImageSource(profile);
    const imageUrl = source.displayUrl('').replace(/\/$/, '');
    // The stage a previous upgrade ended in stays in its own row; this one starts at Initiate.
    const cacheRoot = path.join(this.deps.config.dataDir, 'image-cache');
    let cacheDir = '';
    // The upgrade row, its durable run (profile snapshot, cache folder) and its first line in one transaction (#11).
    const record = this.deps.store.transaction(() => {
      const created = this.deps.upgrades.create({ mode: profile.mode, imageUrl, parallelMode: profile.parallelMode, message: `Predownload from ${imageUrl} to ${describeTargets(targets)}`, origin, targets });
      cacheDir = path.join(cacheRoot, `upgrade-${created.id}`);
      this.deps.runs.create(created.id, profile, cacheDir);
      this.deps.log.write(syslogText.installStart(imageUrl));
      return created;
    });
    this.run?.abort.abort();
    this.run?.dispose();
    // Images of an earlier bundle must never be resumed into this one's files.
    fs.rmSync(cacheRoot, { recursive: true, force: true });
    const run = this.newRun(record.id, source, new ImageCache(cacheDir, source), profile.parallelMode);
    this.deps.progress.clearAll();
    this.deps.notifier.upgradeChanged();
    this.background(run, this.execute(run));
    return record;
  }

  /** A run of this upgrade; its targets come from the upgrade's row, so a resumed run keeps them. */
  private newRun(id: number, source: ImageSource, cache: ImageCache, parallelMode: boolean): UpgradeRun {
    const run: UpgradeRun = new UpgradeRun(id, source, cache, parallelMode, this.deps.config.maxConcurrentPredownloads, (mac, ticket) => this.deliver(run, ticket.job, mac));
    run.isTarget = targetsMatcher(this.deps.upgrades.get(id)?.targets ?? null);
    this.run = run;
    return run;
  }

  activate(options: ActivationOptions = { strategy: 'all', errorThresholdPercent: 0 }, startedBy = 'admin'): void {
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
  }

  /** Pause, Resume or Abort of the activation under way. */
  activation(action: 'pause' | 'resume' | 'abort', options: { reason?: string; windowEnd?: string | null } = {}): void {
    const latest = this.deps.upgrades.latest();
    if (!latest || latest.stage !== 'Reload') throw new UpgradeConflictError('No activation is in progress.');
    if (action === 'pause') this.rollout.pause(latest.id, options.reason ?? 'paused by the administrator');
    else if (action === 'resume') this.rollout.resume(latest.id, options.windowEnd ?? null);
    else this.rollout.abort(latest.id);
  }

  cancel(): void {
    const latest = this.deps.upgrades.latest();
    const run = this.run;
    if (!latest || !isCancellable(latest.stage) || !run || run.id !== latest.id) {
      throw new UpgradeConflictError('No predownload is in progress.');
    }
    if (!this.stages.move(latest.id, latest.stage, 'Cancelled', CANCEL_REASON)) {
      throw new UpgradeConflictError('The upgrade changed state; try again.');
    }
    run.abort.abort();
    run.dispose();
    for (const ap of [...this.deps.aps.reader.values()]) {
      if (ap.upgradeId !== run.id) continue;
      // Every AP drops its partial files, even one between two transfers.
      void this.deps.registry().get(ap.mac)?.abort(CANCEL_REASON);
      if (stopsOnCancel(ap)) {
        this.transitions.move(ap.mac, ap.predownloadStatus, 'Aborted', { nextRetryTime: null }, syslogText.apEvent(ap, 'Image Predownload Aborted'));
      }
    }
    this.deps.progress.clearAll();
    this.deps.log.write(syslogText.upgrade(CANCEL_REASON, 'warning'));
  }

  apJoined(session: ApSession): void {
    const ap = this.deps.aps.upsertJoin(session.info);
    this.deps.notifier.apChanged(ap.mac);
    if (ap.predownloadStatus === 'Reloading') {
      this.reload.rejoined(ap);
      return;
    }
    // Restart hook (#11): while a resumed run waits for its APs to rejoin, it enrols nobody yet.
    if (this.recovery.apJoined(ap.mac)) return;
    const run = this.run;
    const latest = this.deps.upgrades.latest();
    // APs that join during a predownload take part in it, as the profile promises to APs that join later.
    if (run && latest?.id === run.id && isCancellable(latest.stage) && ap.upgradeId !== run.id && run.isTarget(ap)) {
      this.enrol(run, ap, true);
      this.checkStage(run);
    }
  }

  apLeft(mac: string): void {
    this.deps.notifier.apChanged(mac);
  }

  apLog(mac: string, text: string): void {
    const ap = this.deps.aps.get(mac);
    if (ap) this.deps.log.write(syslogText.apLog(ap.name, text));
  }

  /** A background step of a run: whatever it throws fails the upgrade with a line, never an unhandled rejection. */
  private background(run: UpgradeRun, step: Promise<void>): void {
    step.catch((error: Error) => this.failUpgrade(run, `Internal error: ${error.message}`));
  }

  private async execute(run: UpgradeRun): Promise<void> {
    // Image signing (#9): the bundle's signed manifest is read and verified at Initiate, before any byte reaches an AP.
    const signingGate = new SigningGate();
    this.signatures.set(run, signingGate);
    run.targetVersion = await run.cache.readText(VERSION_FILE, this.fetchOptions(run, VERSION_FILE)).catch((error) => this.bundleFileMissing(run, VERSION_FILE, error));
    run.targetControllerVersion = await run.cache
      .readText(CONTROLLER_VERSION_FILE, this.fetchOptions(run, CONTROLLER_VERSION_FILE))
      .catch((error) => this.bundleFileMissing(run, CONTROLLER_VERSION_FILE, error));
    const { ownIntegrity } = run.source;
    const policy = { ...this.deps.config, requireSignedImages: this.deps.config.requireSignedImages && !ownIntegrity };
    const signing = await signingGate.read(run.cache, (fileName) => this.fetchOptions(run, fileName), policy);
    if (run.cancelled) return;
    if (!signing.ok) this.deps.log.write(syslogText.upgrade(signing.reason, 'error'));
    else if (signing.value === null && ownIntegrity) this.deps.log.write(syslogText.upgrade(`Upgrade ${run.id}: no vendor signature manifest; images verified by the source: ${ownIntegrity}`));
    this.deps.upgrades.setTargets(run.id, run.targetVersion, run.targetControllerVersion);
    this.deps.notifier.upgradeChanged();

    const registry = this.deps.registry();
    let untouched = 0;
    for (const ap of [...this.deps.aps.reader.values()]) {
      if (!run.isTarget(ap)) untouched += 1;
      // An AP already in this run (a resumed one) keeps its state and what it still needs.
      else if (registry.isConnected(ap.mac) && ap.upgradeId !== run.id) this.enrol(run, ap, false);
    }
    if (untouched > 0) this.deps.log.write(syslogText.upgrade(`Upgrade ${run.id}: ${untouched} AP(s) are not targeted by this predownload and stay untouched`));
    this.checkStage(run);
    if (run.parallelMode) {
      await Promise.all(run.jobs.map((job) => this.runJob(run, job)));
    } else {
      // Controller image first, then one AP image type after another: one image on the site's uplink at a time.
      const ordered = [...run.jobs].sort((a, b) => (a.kind === 'controller' ? -1 : 0) - (b.kind === 'controller' ? -1 : 0));
      for (const job of ordered) {
        if (run.cancelled) return;
        await this.runJob(run, job);
      }
    }
    this.checkStage(run);
  }

  /** Fetch options that publish the bytes fetched so far, for the page's view of the image server transfer. */
  private fetchOptions(run: UpgradeRun, fileName: string) {
    const url = run.source.displayUrl(fileName);
    return {
      signal: run.abort.signal,
      onProgress: (bytes: number, totalBytes: number | null) => {
        if (totalBytes !== null && bytes >= totalBytes) run.fetches.delete(fileName);
        else run.fetches.set(fileName, { fileName, url, bytes, totalBytes });
        this.deps.notifier.upgradeChanged();
      },
    };
  }

  /** A missing version file does not stop the run: each image type then fails with its own line, as on the EWC. */
  private bundleFileMissing(run: UpgradeRun, fileName: string, error: unknown): null {
    if (!run.cancelled) {
      const reason = error instanceof ImageFetchError ? error.reason : String(error);
      this.deps.log.write(syslogText.downloadFailed(run.source.displayUrl(fileName), reason));
    }
    return null;
  }

  /** Adds an AP to the run: Initiated (or Not Supported), with the images it needs queued. */
  private enrol(run: UpgradeRun, ap: AccessPointRecord, startNow: boolean): void {
    run.clearRetry(ap.mac);
    const initiated = this.transitions.moveFromCurrent(ap.mac, 'Initiated', [...PREDOWNLOAD_RESTARTABLE], {
      upgradeId: run.id,
      retryCount: 0,
      nextRetryTime: null,
      lastError: null,
      predownloadVersion: run.targetVersion,
    });
    if (!initiated) return;
    if (!isImageType(ap.imageType)) {
      this.transitions.move(ap.mac, 'Initiated', 'NotSupported', { lastError: `Image type ${ap.imageType} is not in the bundle` }, syslogText.apEvent(ap, `Image type ${ap.imageType} not supported by this bundle`, 'warning'));
      return;
    }
    const kinds = new Set<ImageKind>(['ap']);
    if (ap.hostsController) kinds.add('controller');
    run.pending.set(ap.mac, kinds);
    this.deps.runs.recordPending(run.id, ap.mac, kinds);
    for (const kind of kinds) {
      let job = run.jobFor(kind, ap.imageType);
      if (!job) {
        job = newImageJob(kind, ap.imageType);
        run.jobs.push(job);
        this.deps.runs.recordJob(run.id, { fileName: job.fileName, kind, imageType: job.imageType, size: null, sha256: null });
        job.macs.add(ap.mac);
        if (startNow) this.background(run, this.runJob(run, job));
      } else {
        job.macs.add(ap.mac);
        if (startNow && job.image) this.background(run, this.runJob(run, job, ap.mac));
      }
    }
  }

  /** Fetches the job's file (once) and queues its delivery to every AP still waiting for it; resolves when they ended. */
  private async runJob(run: UpgradeRun, job: ImageJob, onlyMac?: string): Promise<void> {
    // An AP waiting for this file: not between retries, and not finished (the hosting AP stays Predownloading between its two images).
    const ready = (mac: string) => !run.retryTimers.has(mac) && PREDOWNLOAD_ACTIVE.has(this.deps.aps.get(mac)?.predownloadStatus ?? 'None');
    const starting = onlyMac ? [onlyMac] : [...job.macs].filter(ready);
    if (starting.length === 0 || run.cancelled) return;
    for (const mac of starting) this.transitions.moveFromCurrent(mac, 'Downloading', ['Initiated']);
    const url = run.source.displayUrl(job.fileName);
    let image: CachedImage;
    try {
      image = await run.cache.get(job.fileName, this.fetchOptions(run, job.fileName));
    } catch (error) {
      run.fetches.delete(job.fileName);
      if (run.cancelled) return;
      if (error instanceof ImageTypeNotOfferedError) {
        for (const mac of starting) this.notSupported(run, mac, error.reason);
        this.checkStage(run);
        return;
      }
      const fetchError = error instanceof ImageFetchError ? error : new ImageFetchError(String(error), true);
      this.deps.log.write(syslogText.downloadFailed(url, fetchError.reason));
      for (const mac of starting) this.failAp(run, mac, downloadFailure(url, fetchError.reason), fetchError.retryable);
      return;
    }
    run.fetches.delete(job.fileName);
    if (!job.image) {
      job.image = image;
      // Recorded with its log line in the same store tick: a resumed run reuses the file after checking this digest.
      this.deps.runs.recordJob(run.id, { fileName: job.fileName, kind: job.kind, imageType: job.imageType, size: image.size, sha256: image.sha256 });
      this.deps.log.write(syslogText.installCompleted(url, describeFetch(image)));
    }
    if (run.cancelled) return;
    // APs that joined while the file was being fetched are delivered with the others.
    const started = new Set(starting);
    const macs = onlyMac ? [onlyMac] : [...job.macs].filter((mac) => started.has(mac) || ready(mac));
    for (const mac of macs) this.transitions.moveFromCurrent(mac, 'Downloading', ['Initiated']);
    this.checkStage(run);
    await Promise.all(macs.map((mac) => new Promise<void>((done) => run.deliveries.enqueue({ mac, priority: job.kind === 'controller', item: { job, done } }))));
    this.checkStage(run);
  }

  /** One delivery slot: precheck, stream, verify. Every failure ends as a failed AP, never as a rejection. */
  private async deliver(run: UpgradeRun, job: ImageJob, mac: string): Promise<void> {
    const ap = this.deps.aps.get(mac);
    const image = job.image;
    if (!ap || !image || run.cancelled || ap.predownloadStatus === 'Failed') return;
    const session = this.deps.registry().get(mac);
    if (!session) {
      this.failAp(run, mac, 'AP is not connected', true);
      return;
    }
    const version = (job.kind === 'ap' ? run.targetVersion : run.targetControllerVersion) ?? 'unknown';
    const transferId = run.nextTransferId(mac, job.kind);
    // Image signing (#9): the cached image must be the one the signed manifest lists, or the AP gets no byte of it.
    const signed = checkCachedImage(await this.signatures.get(run)?.result, image);
    if (run.cancelled) return;
    if (!signed.ok) return this.failAp(run, mac, signed.reason, false);
    const offer = { transferId, kind: job.kind, fileName: job.fileName, version, size: image.size, sha256: image.sha256, signature: signed.value };
    const sentKey = `${job.kind}:${mac}`;
    try {
      const precheck = await session.precheck(offer);
      if (run.cancelled) return;
      if (!precheck.ok) {
        this.failAp(run, mac, `PRECHECK failed: ${precheck.message}`, false);
        return;
      }
      this.transitions.moveFromCurrent(mac, 'Predownloading', ['Initiated', 'Downloading']);
      this.deps.progress.start(mac, job.kind, image.size);
      const reply = await session.deliver(offer, image.path, {
        signal: run.abort.signal,
        maxResumeOffset: run.sentBytes.get(sentKey) ?? image.size,
        onAcknowledged: (bytes) => {
          run.sentBytes.set(sentKey, Math.max(bytes, run.sentBytes.get(sentKey) ?? 0));
          this.deps.progress.update(mac, job.kind, bytes);
          this.deps.notifier.apChanged(mac);
        },
      });
      if (run.cancelled) return;
      if (!reply.ok) {
        this.failAp(run, mac, reply.message, true);
        return;
      }
      // The AP proves what it staged; the controller checks it against what it offered.
      if (reply.sha256 !== image.sha256) {
        this.failAp(run, mac, `Image verification failed: AP reported sha256 ${reply.sha256 || '(none)'}, expected ${image.sha256}`, true);
        return;
      }
      this.deps.progress.complete(mac, job.kind);
      this.delivered(run, job, mac, version, reply.sha256);
    } catch (error) {
      if (run.cancelled) return;
      this.failAp(run, mac, error instanceof ApSessionError ? error.message : `Internal error: ${(error as Error).message}`, true);
    }
  }

  private delivered(run: UpgradeRun, job: ImageJob, mac: string, version: string, sha256: string): void {
    if (job.kind === 'ap') this.deps.aps.recordBackupImage(mac, version, sha256);
    else this.deps.aps.recordControllerBackupImage(mac, version);
    job.macs.delete(mac);
    const pending = run.pending.get(mac);
    pending?.delete(job.kind);
    if (pending) this.deps.runs.recordPending(run.id, mac, pending);
    this.deps.notifier.apChanged(mac);
    if (pending && pending.size > 0) return;
    const ap = this.deps.aps.get(mac)!;
    this.transitions.move(
      mac,
      'Predownloading',
      'Complete',
      { predownloadVersion: run.targetVersion, nextRetryTime: null, lastError: null },
      syslogText.apEvent(ap, `Image Predownload Success: ${ap.backupImage}, Image signing verify success`),
    );
    this.checkStage(run);
  }

  private notSupported(run: UpgradeRun, mac: string, reason: string): void {
    const ap = this.deps.aps.get(mac);
    if (!ap || !PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus)) return;
    // The AP hosting the controller may already be receiving the controller image: then it cannot complete, it fails.
    if (!canTransition(ap.predownloadStatus, 'NotSupported')) return this.failAp(run, mac, reason, false);
    this.transitions.move(mac, ap.predownloadStatus, 'NotSupported', { lastError: reason }, syslogText.apEvent(ap, `Image type ${ap.imageType} not supported: ${reason}`, 'warning'));
    run.pending.delete(mac);
  }

  private failAp(run: UpgradeRun, mac: string, reason: string, retryable: boolean): void {
    const ap = this.deps.aps.get(mac);
    if (!ap || !PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus)) return;
    this.deps.progress.clear(mac);
    const { maxRetries, baseDelayMs } = this.deps.config.retry;
    const retry = retryable && ap.retryCount < maxRetries;
    const delay = baseDelayMs * 2 ** ap.retryCount;
    const nextRetryTime = retry ? new Date(Date.now() + delay).toISOString() : null;
    const retryNote = retry ? ` (retry ${ap.retryCount + 1} of ${maxRetries} at ${nextRetryTime})` : '';
    const moved = this.transitions.move(mac, ap.predownloadStatus, 'Failed', { lastError: reason, nextRetryTime }, syslogText.apEvent(ap, `Image Predownload Failed: ${reason}${retryNote}`, 'error'));
    if (!moved) return;
    if (retry) run.retryTimers.set(mac, setTimeout(() => this.retry(run, mac), delay));
    this.checkStage(run);
  }

  private retry(run: UpgradeRun, mac: string): void {
    run.retryTimers.delete(mac);
    if (run.cancelled || this.run !== run) return;
    const ap = this.deps.aps.get(mac);
    if (!ap) return;
    if (!this.transitions.move(mac, 'Failed', 'Initiated', { retryCount: ap.retryCount + 1, nextRetryTime: null })) return;
    for (const kind of run.pending.get(mac) ?? []) {
      const job = run.jobFor(kind, ap.imageType);
      if (job) this.background(run, this.runJob(run, job, mac));
    }
  }

  /** Moves the bar forward to the first stage not yet done; ends the predownload when every AP has. O(1). */
  private checkStage(run: UpgradeRun): void {
    if (this.run !== run || run.cancelled) return;
    const latest = this.deps.upgrades.get(run.id);
    if (!latest || !isCancellable(latest.stage)) return;
    const { reader } = this.deps.aps;
    const active = [...PREDOWNLOAD_ACTIVE].reduce((sum, status) => sum + reader.countInUpgrade(run.id, status), 0);
    if (active === 0 && run.retryTimers.size === 0) {
      this.finishPredownload(run, latest);
      return;
    }
    const controllerJob = run.jobs.find((job) => job.kind === 'controller');
    let target: UpgradeStage;
    if (controllerJob && controllerJob.macs.size > 0) target = 'ControllerImageDownload';
    else if (run.jobs.some((job) => !job.image)) target = 'APImageDownload';
    else target = 'NetworkUpgrade';
    if (UPGRADE_BAR_STAGES.indexOf(target as never) > UPGRADE_BAR_STAGES.indexOf(latest.stage as never)) {
      this.stages.move(run.id, latest.stage, target);
    }
  }

  private finishPredownload(run: UpgradeRun, latest: UpgradeRecord): void {
    const { reader } = this.deps.aps;
    const complete = reader.countInUpgrade(run.id, 'Complete');
    const failed = reader.countInUpgrade(run.id, 'Failed');
    const participants = complete + failed + reader.countInUpgrade(run.id, 'NotSupported') + reader.countInUpgrade(run.id, 'Aborted');
    if (complete > 0 && failed === 0) {
      this.stages.move(run.id, latest.stage, 'Activate', `Predownload of ${run.targetVersion} complete on ${complete} AP(s). Activate to reload the network.`);
    } else if (participants === 0) {
      this.stages.move(run.id, latest.stage, 'Failed', 'No AP is connected: nothing to predownload.');
    } else {
      const why = failed > 0 ? `${failed} AP(s) failed to predownload` : 'No AP supports the images of this bundle';
      this.stages.move(run.id, latest.stage, 'Failed', `${why}. Fix the cause shown in the log, then Save & Download again.`);
    }
  }

  private failUpgrade(run: UpgradeRun, message: string): void {
    const latest = this.deps.upgrades.get(run.id);
    if (latest && isCancellable(latest.stage)) this.stages.move(run.id, latest.stage, 'Failed', message);
  }

  /** Stops all work without changing any state, so the next start resumes the run (a restart, a graceful stop). */
  dispose(): void {
    this.run?.abort.abort();
    this.run?.dispose();
    this.reload.dispose();
    this.recovery.dispose();
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
      fetches: run ? [...run.fetches.values()] : [],
      deliveries: run && isCancellable(stage) ? { active: run.deliveries.active, waiting: run.deliveries.waiting, limit: run.deliveries.limit } : null,
      ...this.rollout.view(latest?.id ?? null),
      scheduled: this.deps.schedules.pending(),
      controllerTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
  }
}
