import fs from 'node:fs';
import path from 'node:path';
import { CONTROLLER_IMAGE_FILE, CONTROLLER_VERSION_FILE, VERSION_FILE, isImageType } from '../../lib/imageBundle';
import type { ImageKind } from '../../lib/capwapEvents';
import { PREDOWNLOAD_ACTIVE, PREDOWNLOAD_RESTARTABLE, type PredownloadStatus } from '../../lib/predownloadStatus';
import { UPGRADE_BAR_STAGES, UPGRADE_TERMINAL, isCancellable, upgradeStateOf, type UpgradeStage, type UpgradeView } from '../../lib/upgradeStage';
import type { ApRegistry } from '../capwap/apRegistry';
import { ApSessionError, type ApSession } from '../capwap/apSession';
import type { ConsoleConfig } from '../config';
import { checkCachedImage, SigningGate } from '../imageSigning/bundleSignature';
import { ImageCache, type CachedImage } from '../imageSource/imageCache';
import { ImageFetchError, type ImageSource } from '../imageSource/imageSource';
import type { AccessPointRecord, AccessPointRepository } from '../store/accessPointRepository';
import type { ControllerRepository } from '../store/controllerRepository';
import type { EventLog } from '../store/eventLog';
import type { StoredProfile } from '../store/profileRepository';
import type { UpgradeRecord, UpgradeRepository } from '../store/upgradeRepository';
import type { ConsoleNotifier } from './notifier';
import { PredownloadTransitions } from './predownloadTransitions';
import { downloadFailure, syslogText } from './syslogText';
import type { TransferProgress } from './transferProgress';
import { UpgradeRun, type ImageJob } from './upgradeRun';

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
  controller: ControllerRepository;
  log: EventLog;
  progress: TransferProgress;
  notifier: ConsoleNotifier;
  registry: () => ApRegistry;
  createImageSource: (profile: StoredProfile) => ImageSource;
}

/** An action that the upgrade's current state does not allow (the API answers 409). */
export class UpgradeConflictError extends Error {}

const CANCEL_REASON = 'Predownload cancelled by the administrator';

/**
 * Owns the upgrade: fetches each bundle file once, feeds every AP of that type
 * from the cache, retries failed APs with backoff, activates and watches the
 * network come back. It reaches the browser only through the notifier.
 */
export class UpgradeOrchestrator {
  private run: UpgradeRun | null = null;
  private readonly transitions: PredownloadTransitions;
  private rejoinTimer: NodeJS.Timeout | null = null;
  /** Image signing (#9): what each run's Initiate finds (verified manifest, allowed unsigned bundle, or the refusal); set before anything can deliver. */
  private readonly signatures = new WeakMap<UpgradeRun, SigningGate>();

  constructor(private readonly deps: OrchestratorDeps) {
    this.transitions = new PredownloadTransitions(deps.aps, deps.log, deps.notifier);
  }

  /** Whether the running upgrade already holds the image for this AP image type. */
  imageFetchedFor(imageType: string): boolean {
    return this.run?.jobFor('ap', imageType)?.fetched ?? false;
  }

  /** After a restart nothing is transferring any more: say so instead of showing a frozen run. */
  recoverAfterRestart(): void {
    const latest = this.deps.upgrades.latest();
    if (!latest || !isCancellable(latest.stage)) return;
    const reason = 'Predownload interrupted: the controller restarted';
    this.deps.upgrades.transition(latest.id, latest.stage, 'Failed', `${reason}. Save & Download to start again.`);
    for (const ap of this.deps.aps.all()) {
      if (ap.upgradeId === latest.id && (PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus) || ap.nextRetryTime)) {
        this.transitions.move(ap.mac, ap.predownloadStatus, 'Aborted', { nextRetryTime: null, lastError: reason });
      }
    }
    this.deps.log.write(syslogText.upgrade(reason, 'warning'));
  }

  startPredownload(profile: StoredProfile): UpgradeRecord {
    const latest = this.deps.upgrades.latest();
    const from: UpgradeStage = latest?.stage ?? 'Idle';
    // A finished upgrade, or one waiting for Activate, may be replaced by a new predownload.
    if (!UPGRADE_TERMINAL.has(from) && from !== 'Activate') {
      throw new UpgradeConflictError(`An upgrade is already in progress (stage ${from}). Cancel it or wait for it to finish.`);
    }
    const source = this.deps.createImageSource(profile);
    const imageUrl = source.displayUrl('').replace(/\/$/, '');
    // The stage a previous upgrade ended in stays in its own row; this one starts at Initiate.
    const record = this.deps.upgrades.create({ mode: profile.mode, imageUrl, parallelMode: profile.parallelMode, message: `Predownload from ${imageUrl}` });
    this.run?.dispose();
    // Images of an earlier bundle must never be resumed into this one's files.
    const cacheRoot = path.join(this.deps.config.dataDir, 'image-cache');
    fs.rmSync(cacheRoot, { recursive: true, force: true });
    const run = new UpgradeRun(record.id, source, new ImageCache(path.join(cacheRoot, `upgrade-${record.id}`), source), profile.parallelMode);
    this.run = run;
    this.deps.progress.clearAll();
    this.deps.log.write(syslogText.installStart(imageUrl));
    this.deps.notifier.upgradeChanged();
    void this.execute(run).catch((error: Error) => this.failUpgrade(run, `Internal error: ${error.message}`));
    return record;
  }

  activate(): void {
    const latest = this.deps.upgrades.latest();
    if (!latest || latest.stage !== 'Activate') {
      throw new UpgradeConflictError('Activate is possible once every AP has completed its predownload.');
    }
    const moved = this.deps.upgrades.transition(latest.id, 'Activate', 'Reload', `Reloading the network to ${latest.targetVersion}`);
    if (!moved) throw new UpgradeConflictError('The upgrade changed state; try again.');
    this.deps.log.write(syslogText.upgrade(`Activate: reloading the network to AP image ${latest.targetVersion}`));
    this.deps.notifier.upgradeChanged();
    const reloading = this.deps.aps.all().filter((ap) => ap.upgradeId === latest.id && ap.predownloadStatus === 'Complete');
    if (!reloading.some((ap) => ap.hostsController) && latest.targetControllerVersion) this.deps.controller.setVersion(latest.targetControllerVersion);
    for (const ap of reloading) {
      const moved = this.transitions.move(ap.mac, 'Complete', 'Reloading', {}, syslogText.apEvent(ap, `Reloading to activate ${ap.predownloadVersion}`));
      if (!moved) continue;
      const session = this.deps.registry().get(ap.mac);
      void (session ? session.reload() : Promise.resolve({ ok: false, message: 'AP is not connected' }))
        .catch((error: Error) => ({ ok: false, message: error.message }))
        .then((reply) => {
          if (!reply.ok) this.failReload(ap.mac, reply.message);
        });
    }
    this.rejoinTimer = setTimeout(() => this.rejoinDeadlinePassed(latest.id), this.deps.config.rejoinTimeoutMs);
    this.checkReloadComplete();
  }

  cancel(): void {
    const latest = this.deps.upgrades.latest();
    const run = this.run;
    if (!latest || !isCancellable(latest.stage) || !run || run.id !== latest.id) {
      throw new UpgradeConflictError('No predownload is in progress.');
    }
    if (!this.deps.upgrades.transition(latest.id, latest.stage, 'Cancelled', CANCEL_REASON)) {
      throw new UpgradeConflictError('The upgrade changed state; try again.');
    }
    run.abort.abort();
    run.dispose();
    for (const ap of this.deps.aps.all()) {
      if (ap.upgradeId !== run.id) continue;
      // Every AP drops its partial files, even one between two transfers.
      void this.deps.registry().get(ap.mac)?.abort(CANCEL_REASON);
      if (PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus) || (ap.predownloadStatus === 'Failed' && ap.nextRetryTime)) {
        this.transitions.move(ap.mac, ap.predownloadStatus, 'Aborted', { nextRetryTime: null }, syslogText.apEvent(ap, 'Image Predownload Aborted'));
      }
    }
    this.deps.progress.clearAll();
    this.deps.log.write(syslogText.upgrade(CANCEL_REASON, 'warning'));
    this.deps.notifier.upgradeChanged();
  }

  apJoined(session: ApSession): void {
    const ap = this.deps.aps.upsertJoin(session.info);
    this.deps.notifier.apChanged(ap.mac);
    if (ap.predownloadStatus === 'Reloading') {
      this.rejoinedAfterReload(ap);
      return;
    }
    const run = this.run;
    const latest = this.deps.upgrades.latest();
    // APs that join during a predownload take part in it, as the profile promises to APs that join later.
    if (run && latest?.id === run.id && isCancellable(latest.stage) && ap.upgradeId !== run.id) {
      this.enrol(run, ap);
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

  private async execute(run: UpgradeRun): Promise<void> {
    // Image signing (#9): the bundle's signed manifest is read and verified at Initiate, before any byte reaches an AP.
    const signingGate = new SigningGate();
    this.signatures.set(run, signingGate);
    run.targetVersion = await run.cache.readText(VERSION_FILE, this.fetchOptions(run, VERSION_FILE)).catch((error) => this.bundleFileMissing(run, VERSION_FILE, error));
    run.targetControllerVersion = await run.cache
      .readText(CONTROLLER_VERSION_FILE, this.fetchOptions(run, CONTROLLER_VERSION_FILE))
      .catch((error) => this.bundleFileMissing(run, CONTROLLER_VERSION_FILE, error));
    const signing = await signingGate.read(run.cache, (fileName) => this.fetchOptions(run, fileName), this.deps.config);
    if (run.cancelled) return;
    if (!signing.ok) this.deps.log.write(syslogText.upgrade(signing.reason, 'error'));
    this.deps.upgrades.setTargets(run.id, run.targetVersion, run.targetControllerVersion);
    this.deps.notifier.upgradeChanged();

    const participants = this.deps.aps.all().filter((ap) => this.deps.registry().isConnected(ap.mac));
    for (const ap of participants) this.enrol(run, ap, false);
    this.checkStage(run);
    if (run.parallelMode) {
      await Promise.all(run.jobs.map((job) => this.runJob(run, job)));
    } else {
      // Controller image first, then one AP image type after another.
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
  private enrol(run: UpgradeRun, ap: AccessPointRecord, startNow = true): void {
    run.clearRetry(ap.mac);
    const initiated = this.transitions.moveFromCurrent(
      ap.mac,
      'Initiated',
      [...PREDOWNLOAD_RESTARTABLE],
      { upgradeId: run.id, retryCount: 0, nextRetryTime: null, lastError: null, predownloadVersion: run.targetVersion },
    );
    if (!initiated) return;
    if (!isImageType(ap.imageType)) {
      this.transitions.move(ap.mac, 'Initiated', 'NotSupported', { lastError: `Image type ${ap.imageType} is not in the bundle` }, syslogText.apEvent(ap, `Image type ${ap.imageType} not supported by this bundle`, 'warning'));
      return;
    }
    const kinds = new Set<ImageKind>(['ap']);
    if (ap.hostsController) kinds.add('controller');
    run.pending.set(ap.mac, kinds);
    for (const kind of kinds) {
      let job = run.jobFor(kind, ap.imageType);
      if (!job) {
        job = { fileName: kind === 'controller' ? CONTROLLER_IMAGE_FILE : ap.imageType, kind, imageType: kind === 'controller' ? null : ap.imageType, fetched: false };
        run.jobs.push(job);
        if (startNow) void this.runJob(run, job);
      } else if (startNow && job.fetched) {
        void this.runJob(run, job, ap.mac);
      }
    }
  }

  private macsFor(run: UpgradeRun, job: ImageJob): string[] {
    return this.deps.aps
      .all()
      .filter((ap) => ap.upgradeId === run.id && run.pending.get(ap.mac)?.has(job.kind) && (job.kind === 'controller' || ap.imageType === job.imageType))
      .map((ap) => ap.mac);
  }

  /** Fetches the job's file (once) and delivers it to every AP still waiting for it. */
  private async runJob(run: UpgradeRun, job: ImageJob, onlyMac?: string): Promise<void> {
    const macs = onlyMac ? [onlyMac] : this.macsFor(run, job).filter((mac) => !run.retryTimers.has(mac));
    if (macs.length === 0 || run.cancelled) return;
    for (const mac of macs) this.transitions.moveFromCurrent(mac, 'Downloading', ['Initiated']);
    const url = run.source.displayUrl(job.fileName);
    let image: CachedImage;
    try {
      image = await run.cache.get(job.fileName, this.fetchOptions(run, job.fileName));
    } catch (error) {
      run.fetches.delete(job.fileName);
      if (run.cancelled) return;
      const fetchError = error instanceof ImageFetchError ? error : new ImageFetchError(String(error), true);
      this.deps.log.write(syslogText.downloadFailed(url, fetchError.reason));
      for (const mac of macs) this.failAp(run, mac, downloadFailure(url, fetchError.reason), fetchError.retryable);
      return;
    }
    run.fetches.delete(job.fileName);
    if (!job.fetched) {
      job.fetched = true;
      this.deps.log.write(syslogText.installCompleted(url, describeFetch(image)));
    }
    this.checkStage(run);
    await Promise.all(macs.map((mac) => this.deliver(run, job, image, mac)));
    this.checkStage(run);
  }

  private async deliver(run: UpgradeRun, job: ImageJob, image: CachedImage, mac: string): Promise<void> {
    const ap = this.deps.aps.get(mac);
    const session = this.deps.registry().get(mac);
    if (!ap || run.cancelled) return;
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
        onAcknowledged: (bytes) => {
          this.deps.progress.update(mac, job.kind, bytes);
          this.deps.notifier.apChanged(mac);
        },
      });
      if (run.cancelled) return;
      if (!reply.ok) {
        this.failAp(run, mac, reply.message, true);
        return;
      }
      this.deps.progress.complete(mac, job.kind);
      this.delivered(run, mac, job.kind, version, reply.sha256);
    } catch (error) {
      if (run.cancelled) return;
      this.failAp(run, mac, error instanceof ApSessionError ? error.message : String(error), true);
    }
  }

  private delivered(run: UpgradeRun, mac: string, kind: ImageKind, version: string, sha256: string): void {
    if (kind === 'ap') this.deps.aps.recordBackupImage(mac, version, sha256);
    else this.deps.aps.recordControllerBackupImage(mac, version);
    const pending = run.pending.get(mac);
    pending?.delete(kind);
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
    if (retry) {
      run.retryTimers.set(
        mac,
        setTimeout(() => this.retry(run, mac), delay),
      );
    }
    this.checkStage(run);
  }

  private retry(run: UpgradeRun, mac: string): void {
    run.retryTimers.delete(mac);
    if (run.cancelled || this.run !== run) return;
    const ap = this.deps.aps.get(mac);
    if (!ap) return;
    const moved = this.transitions.move(mac, 'Failed', 'Initiated', { retryCount: ap.retryCount + 1, nextRetryTime: null });
    if (!moved) return;
    for (const kind of run.pending.get(mac) ?? []) {
      const job = run.jobFor(kind, ap.imageType);
      if (job) void this.runJob(run, job, mac);
    }
  }

  /** Moves the bar forward to the first stage not yet done; ends the predownload when every AP has. */
  private checkStage(run: UpgradeRun): void {
    if (this.run !== run || run.cancelled) return;
    const latest = this.deps.upgrades.get(run.id);
    if (!latest || !isCancellable(latest.stage)) return;
    const participants = this.deps.aps.all().filter((ap) => ap.upgradeId === run.id);
    const waiting = participants.some((ap) => PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus) || (ap.predownloadStatus === 'Failed' && ap.nextRetryTime !== null));
    const controllerJob = run.jobs.find((job) => job.kind === 'controller');
    const controllerPending = participants.some((ap) => run.pending.get(ap.mac)?.has('controller'));

    let target: UpgradeStage;
    if (!waiting) {
      this.finishPredownload(run, latest, participants);
      return;
    } else if (controllerJob && controllerPending) target = 'ControllerImageDownload';
    else if (run.jobs.some((job) => !job.fetched)) target = 'APImageDownload';
    else target = 'NetworkUpgrade';
    if (UPGRADE_BAR_STAGES.indexOf(target as never) > UPGRADE_BAR_STAGES.indexOf(latest.stage as never)) {
      this.moveStage(run.id, latest.stage, target);
    }
  }

  private finishPredownload(run: UpgradeRun, latest: UpgradeRecord, participants: AccessPointRecord[]): void {
    const count = (status: PredownloadStatus) => participants.filter((ap) => ap.predownloadStatus === status).length;
    const complete = count('Complete');
    const failed = count('Failed');
    if (complete > 0 && failed === 0) {
      this.moveStage(run.id, latest.stage, 'Activate', `Predownload of ${run.targetVersion} complete on ${complete} AP(s). Activate to reload the network.`);
    } else if (participants.length === 0) {
      this.moveStage(run.id, latest.stage, 'Failed', 'No AP is connected: nothing to predownload.');
    } else {
      const why = failed > 0 ? `${failed} AP(s) failed to predownload` : 'No AP supports the images of this bundle';
      this.moveStage(run.id, latest.stage, 'Failed', `${why}. Fix the cause shown in the log, then Save & Download again.`);
    }
  }

  private moveStage(id: number, from: UpgradeStage, to: UpgradeStage, message?: string): void {
    const moved = this.deps.upgrades.transition(id, from, to, message);
    if (!moved) return;
    const severity = to === 'Failed' ? 'error' : to === 'Cancelled' ? 'warning' : 'notice';
    this.deps.log.write(syslogText.upgrade(`Upgrade ${id}: stage ${to}${message ? `: ${message}` : ''}`, severity));
    this.deps.notifier.upgradeChanged();
  }

  private failUpgrade(run: UpgradeRun, message: string): void {
    const latest = this.deps.upgrades.get(run.id);
    if (latest && isCancellable(latest.stage)) this.moveStage(run.id, latest.stage, 'Failed', message);
  }

  private rejoinedAfterReload(ap: AccessPointRecord): void {
    if (ap.primaryImage !== ap.predownloadVersion) {
      this.failReload(ap.mac, `AP joined running ${ap.primaryImage}, expected ${ap.predownloadVersion}`);
      return;
    }
    this.transitions.move(ap.mac, 'Reloading', 'Joined', {}, syslogText.apEvent(ap, `Joined running ${ap.primaryImage}`));
    const latest = this.deps.upgrades.latest();
    if (ap.hostsController && latest?.targetControllerVersion) this.deps.controller.setVersion(latest.targetControllerVersion);
    this.checkReloadComplete();
  }

  private failReload(mac: string, reason: string): void {
    const ap = this.deps.aps.get(mac);
    if (!ap) return;
    this.transitions.move(mac, 'Reloading', 'Failed', { lastError: reason }, syslogText.apEvent(ap, `Reload failed: ${reason}`, 'error'));
    this.checkReloadComplete();
  }

  private rejoinDeadlinePassed(upgradeId: number): void {
    this.rejoinTimer = null;
    for (const ap of this.deps.aps.all()) {
      if (ap.upgradeId === upgradeId && ap.predownloadStatus === 'Reloading') {
        this.failReload(ap.mac, `AP did not join again within ${Math.round(this.deps.config.rejoinTimeoutMs / 1000)} s`);
      }
    }
  }

  private checkReloadComplete(): void {
    const latest = this.deps.upgrades.latest();
    if (!latest || latest.stage !== 'Reload') return;
    const participants = this.deps.aps.all().filter((ap) => ap.upgradeId === latest.id);
    if (participants.some((ap) => ap.predownloadStatus === 'Reloading')) return;
    if (this.rejoinTimer) clearTimeout(this.rejoinTimer);
    this.rejoinTimer = null;
    const failed = participants.filter((ap) => ap.predownloadStatus === 'Failed').length;
    if (failed > 0) {
      this.moveStage(latest.id, 'Reload', 'Failed', `${failed} AP(s) did not come back running ${latest.targetVersion}`);
    } else {
      this.moveStage(latest.id, 'Reload', 'Completed', `Network running ${latest.targetVersion}; controller running ${this.deps.controller.version()}`);
    }
  }

  dispose(): void {
    this.run?.abort.abort();
    this.run?.dispose();
    if (this.rejoinTimer) clearTimeout(this.rejoinTimer);
  }

  /** The upgrade as the API and the page show it. */
  view(): UpgradeView {
    const latest = this.deps.upgrades.latest();
    const stage: UpgradeStage = latest?.stage ?? 'Idle';
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
      fetches: this.run && this.run.id === latest?.id && !this.run.cancelled ? [...this.run.fetches.values()] : [],
    };
  }
}
