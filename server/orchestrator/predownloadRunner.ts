import { CONTROLLER_VERSION_FILE, VERSION_FILE, isImageType } from '../../lib/imageBundle';
import type { ImageKind } from '../../lib/capwapEvents';
import { PREDOWNLOAD_ACTIVE, PREDOWNLOAD_RESTARTABLE, retryNowCount } from '../../lib/predownloadStatus';
import { sentence, type Sentence } from '../../lib/serverSentences';
import { isCancellable } from '../../lib/upgradeStage';
import type { AccessPointRecord } from '../fleet/accessPoint';
import { APPROVE_BUNDLE_PATH, describeBundleFiles } from '../../lib/bundleApproval';
import { SigningGate } from '../imageSource/bundleSignature';
import type { CachedImage, FetchReport, ImageCache } from '../imageSource/imageCache';
import { bundleUrl, ImageFetchError, ImageTypeNotOfferedError, type ImageSource } from '../imageSource/imageSource';
import type { AccessPointRepository } from '../store/accessPointRepository';
import type { EventLog } from '../store/eventLog';
import type { UpgradeRepository } from '../store/upgradeRepository';
import type { UpgradeRunRepository } from '../store/upgradeRunRepository';
import type { ApLinks, EngineConfig } from './apLink';
import { stopsOnCancel } from './actionPreview';
import { BundleHold } from './bundleHold';
import { readBundleVersion, type BundleVersion } from './bundleVersion';
import type { ConsoleNotifier } from './notifier';
import { PredownloadDelivery } from './predownloadDelivery';
import type { PredownloadTransitions } from './predownloadTransitions';
import { installReport } from './installLog';
import { nextPredownloadStage } from './stageProgress';
import { downloadFailure, syslogText } from './syslogText';
import type { TransferProgress } from './transferProgress';
import { imageKindsFor, newImageJob, UpgradeRun, type ImageJob } from './upgradeRun';
import type { UpgradeStages } from './upgradeStages';

/** Sequential mode: the controller image first, then one AP image type after another: one image on the site's uplink at a time. */
function inUplinkOrder(jobs: readonly ImageJob[]): ImageJob[] {
  return [...jobs].sort((a, b) => (a.kind === 'controller' ? -1 : 0) - (b.kind === 'controller' ? -1 : 0));
}

export interface PredownloadRunnerDeps {
  config: EngineConfig;
  aps: AccessPointRepository;
  upgrades: UpgradeRepository;
  runs: UpgradeRunRepository;
  log: EventLog;
  progress: TransferProgress;
  notifier: ConsoleNotifier;
  links: () => ApLinks;
  transitions: PredownloadTransitions;
  stages: UpgradeStages;
}

/**
 * A predownload under way: reads the bundle's version files at Initiate, enrols the APs it
 * targets, fetches each bundle file once and queues its delivery to every AP of that type,
 * retries failed APs and moves the stage bar; it ends the predownload when no AP has anything
 * left to do. The orchestrator owns which run is current; a run that is not stops acting.
 */
export class PredownloadRunner {
  readonly delivery: PredownloadDelivery;

  constructor(
    private readonly deps: PredownloadRunnerDeps,
    private readonly current: () => UpgradeRun | null,
  ) {
    this.delivery = new PredownloadDelivery(deps, { checkStage: (run) => this.checkStage(run), retry: (run, mac) => this.retry(run, mac) });
  }

  /** A run of this engine: its deliveries go through the slots the configuration allows. */
  newRun(id: number, source: ImageSource, cache: ImageCache, parallelMode: boolean): UpgradeRun {
    const run: UpgradeRun = new UpgradeRun(
      id,
      source,
      cache,
      parallelMode,
      this.deps.config.maxConcurrentPredownloads,
      (mac, ticket) => this.delivery.deliver(run, ticket.job, mac),
      () => this.deps.notifier.upgradeChanged(),
    );
    return run;
  }

  /**
   * A bundle whose version.info cannot be read ends the run at once with the server's reason: every
   * AP it would have taken says why in its row, and no other file is asked for.
   */
  bundleUnreadable(run: UpgradeRun, bundle: Extract<BundleVersion, { ok: false }>): void {
    const reason = downloadFailure(bundle.url, bundle.reason);
    // A failed fetch said so as it failed; a file that came but holds no version says so now.
    if (bundle.fetched) this.deps.log.write(syslogText.downloadFailed(bundle.url, bundle.reason));
    const links = this.deps.links();
    const failed = (ap: AccessPointRecord, from: AccessPointRecord['predownloadStatus']) =>
      this.deps.transitions.move(ap.mac, from, 'Failed', { lastError: reason, nextRetryTime: null }, this.delivery.downloadFailedLines(ap, `Image Predownload Failed: ${reason}`));
    for (const ap of [...this.deps.aps.reader.values()]) {
      // An AP a resumed run had enrolled already ends with the others.
      if (ap.upgradeId === run.id && PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus)) failed(ap, ap.predownloadStatus);
      else if (ap.upgradeId === run.id && ap.nextRetryTime) this.deps.aps.callOffRetry(ap.mac);
      if (ap.upgradeId === run.id || !run.isTarget(ap) || run.leavesOut(ap) || !links.isConnected(ap.mac)) continue;
      const initiated = this.deps.transitions.moveFromCurrent(ap.mac, 'Initiated', [...PREDOWNLOAD_RESTARTABLE], {
        upgradeId: run.id,
        retryCount: 0,
        nextRetryTime: null,
        lastError: null,
        predownloadVersion: null,
      });
      if (initiated) failed(initiated, 'Initiated');
    }
    run.stop();
    this.failUpgrade(run, sentence('bundleVersionUnreadable', { reason }));
  }

  /** A background step of a run: whatever it throws fails the upgrade with a line, never an unhandled rejection. */
  background(run: UpgradeRun, step: Promise<void>): void {
    step.catch((error: Error) => {
      run.trustDecided();
      this.failUpgrade(run, sentence('internalError', { detail: error.message }));
    });
  }

  async execute(run: UpgradeRun): Promise<void> {
    // A resumed run whose version was never read reads it now; one it cannot read ends here, before anything else is asked for.
    if (run.targetVersion === null) {
      const bundle = await readBundleVersion(run.source, run.cache, this.fetchOptions(run, VERSION_FILE), this.report(run, VERSION_FILE));
      if (run.cancelled) return;
      if (!bundle.ok) return this.bundleUnreadable(run, bundle);
      run.targetVersion = bundle.version;
    }
    // Image signing: the bundle's signed manifest is read and verified at Initiate, before any byte reaches an AP.
    const signingGate = new SigningGate();
    this.delivery.signWith(run, signingGate);
    // A missing controller_version.info does not stop the run (a Desktop bundle has none): its failure is logged, and the controller image then fails with its own line.
    run.targetControllerVersion = await run.cache.readText(CONTROLLER_VERSION_FILE, this.fetchOptions(run, CONTROLLER_VERSION_FILE), this.report(run, CONTROLLER_VERSION_FILE)).catch(() => null);
    // Every source obeys the same rule: a catalog's TLS connection or an upload is no vendor signature.
    const { unsignedImages, vendorKeyDir } = this.deps.config;
    const policy = { unsignedImages, vendorKeyDir, expectedVersion: run.targetVersion, acceptsTrustedDigests: run.source.trustedDigest !== undefined };
    const signing = await signingGate.read(run.cache, (fileName) => this.fetchOptions(run, fileName), policy);
    if (run.cancelled) return;
    if (!signing.ok) this.deps.log.write(syslogText.upgrade(signing.reason, 'error'));
    if (signing.ok && signing.value.kind === 'unsigned' && !signing.value.allowUnsigned && run.source.approvable) run.hold = this.newHold(run);
    else run.trustDecided();
    this.deps.upgrades.setTargets(run.id, run.targetVersion, run.targetControllerVersion);
    this.deps.notifier.upgradeChanged();

    const links = this.deps.links();
    let untouched = 0;
    const kept: string[] = [];
    run.enrolled = true;
    for (const ap of [...this.deps.aps.reader.values()]) {
      if (!run.isTarget(ap)) untouched += 1;
      else if (run.leavesOut(ap)) kept.push(ap.name);
      // An AP already in this run (a resumed one) keeps its state and what it still needs.
      else if (links.isConnected(ap.mac) && ap.upgradeId !== run.id) this.enrol(run, ap, false);
    }
    if (untouched > 0) this.deps.log.write(syslogText.upgrade(`Upgrade ${run.id}: ${untouched} AP(s) are not targeted by this predownload and stay untouched`));
    if (kept.length > 0)
      this.deps.log.write(
        syslogText.upgrade(
          `Upgrade ${run.id}: ${kept.length} AP(s) already run ${run.targetVersion} and keep their backup image: a scheduled predownload leaves them out (${kept.join(', ')})`,
          'warning',
        ),
      );
    this.checkStage(run);
    if (run.hold) {
      await this.fetchThenHold(run, run.hold);
    } else if (run.parallelMode) {
      await Promise.all(run.jobs.map((job) => this.runJob(run, job)));
    } else {
      for (const job of inUplinkOrder(run.jobs)) {
        if (run.cancelled) return;
        await this.runJob(run, job);
      }
    }
    this.checkStage(run);
  }

  private newHold(run: UpgradeRun): BundleHold {
    return new BundleHold(run.source, run.abort.signal, (files) => {
      this.deps.log.write(
        syslogText.upgrade(
          `Upgrade ${run.id}: the bundle ${bundleUrl(run.source)} is not signed: no AP receives ${files.map((file) => file.name).join(', ')} until an administrator trusts ${describeBundleFiles(files)} (the page, POST ${APPROVE_BUNDLE_PATH} or ap image predownload approve)`,
          'warning',
        ),
      );
      this.deps.notifier.upgradeChanged();
    });
  }

  /**
   * An unsigned bundle under EWC_REQUIRE_SIGNED_IMAGES=ask: every file the run needs is fetched into
   * the image cache first (in the profile's sequential or parallel order), then held for one decision
   * on all of them, then delivered. Asking file by file would ask the admin again after each fetch.
   */
  private async fetchThenHold(run: UpgradeRun, hold: BundleHold): Promise<void> {
    const jobs = run.parallelMode ? run.jobs : inUplinkOrder(run.jobs);
    const fetched: { job: ImageJob; starting: string[]; image: CachedImage }[] = [];
    const fetchOne = async (job: ImageJob) => {
      const result = await this.fetchJob(run, job);
      if (result) fetched.push({ job, ...result });
    };
    if (run.parallelMode) await Promise.all(jobs.map(fetchOne));
    else for (const job of jobs) if (!run.cancelled) await fetchOne(job);
    const clearing = hold.cleared(fetched.map((f) => f.image));
    run.trustDecided();
    this.checkStage(run);
    await clearing;
    if (run.cancelled) return;
    this.checkStage(run);
    if (run.parallelMode) await Promise.all(fetched.map((f) => this.deliverJob(run, f.job, f.starting)));
    else for (const f of fetched) if (!run.cancelled) await this.deliverJob(run, f.job, f.starting);
  }

  /** Fetch options that publish the bytes fetched so far, for the page's view of the image server transfer. */
  private fetchOptions(run: UpgradeRun, fileName: string) {
    const url = run.source.displayUrl(fileName);
    const countFetched = this.deps.progress.fetchCounter();
    return {
      signal: run.abort.signal,
      onProgress: (bytes: number, totalBytes: number | null) => {
        countFetched(bytes);
        // A fetch shows once a byte has come: a start at 0 (TFTP's report before its first block) shows nothing yet.
        if (bytes === 0) return;
        if (totalBytes !== null && bytes >= totalBytes) run.fetches.delete(fileName);
        else run.fetches.set(fileName, { fileName, url, bytes, totalBytes });
        this.deps.notifier.upgradeChanged();
      },
    };
  }

  /** The install_engine lines of a bundle file's fetches (the signature manifest's, which a bundle may lack, have none). */
  private report(run: UpgradeRun, fileName: string): FetchReport {
    return installReport(this.deps.log, run.source.displayUrl(fileName));
  }

  /** Adds an AP to the run: Initiated (or Not Supported), with the images it needs queued. */
  enrol(run: UpgradeRun, ap: AccessPointRecord, startNow: boolean): void {
    run.clearRetry(ap.mac);
    const initiated = this.deps.transitions.moveFromCurrent(ap.mac, 'Initiated', [...PREDOWNLOAD_RESTARTABLE], {
      upgradeId: run.id,
      retryCount: 0,
      nextRetryTime: null,
      lastError: null,
      predownloadVersion: run.targetVersion,
    });
    if (!initiated) return;
    if (!isImageType(ap.imageType)) {
      this.deps.transitions.move(
        ap.mac,
        'Initiated',
        'NotSupported',
        { lastError: `Image type ${ap.imageType} is not in the bundle` },
        syslogText.apEvent(ap, `Image type ${ap.imageType} not supported by this bundle`, 'warning'),
      );
      return;
    }
    const kinds = new Set<ImageKind>(imageKindsFor(ap));
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
    const fetched = await this.fetchJob(run, job, onlyMac);
    if (!fetched) return;
    // A file fetched later (a retry, an AP that joined) waits for an admin's trust as the first ones did.
    if (run.hold) {
      await run.hold.cleared([fetched.image]);
      this.checkStage(run);
    }
    await this.deliverJob(run, job, fetched.starting, onlyMac);
  }

  /** Fetches the job's file once into the image cache, the APs waiting for it Downloading; null when there is nothing to deliver. */
  private async fetchJob(run: UpgradeRun, job: ImageJob, onlyMac?: string): Promise<{ starting: string[]; image: CachedImage } | null> {
    const starting = onlyMac ? [onlyMac] : [...job.macs].filter(this.ready(run));
    if (starting.length === 0 || run.cancelled) return null;
    for (const mac of starting) this.deps.transitions.moveFromCurrent(mac, 'Downloading', ['Initiated']);
    const url = run.source.displayUrl(job.fileName);
    let image: CachedImage;
    try {
      image = await run.cache.get(job.fileName, this.fetchOptions(run, job.fileName), this.report(run, job.fileName));
    } catch (error) {
      run.fetches.delete(job.fileName);
      if (run.cancelled) return null;
      if (error instanceof ImageTypeNotOfferedError) {
        for (const mac of starting) this.delivery.notSupported(run, mac, error.reason);
        this.checkStage(run);
        return null;
      }
      const fetchError = error instanceof ImageFetchError ? error : new ImageFetchError(String(error), true);
      for (const mac of starting) this.delivery.failAp(run, mac, downloadFailure(url, fetchError.reason), fetchError.retryable);
      return null;
    }
    run.fetches.delete(job.fileName);
    if (!job.image) {
      job.image = image;
      // Recorded in the store tick of its Completed line: a resumed run reuses the file after checking this digest.
      this.deps.runs.recordJob(run.id, { fileName: job.fileName, kind: job.kind, imageType: job.imageType, size: image.size, sha256: image.sha256 });
    }
    return run.cancelled ? null : { starting, image };
  }

  /** An AP waiting for a file: not between retries, and not finished (the hosting AP waits Downloading between its two images). */
  private ready(run: UpgradeRun): (mac: string) => boolean {
    return (mac) => !run.retryTimers.has(mac) && PREDOWNLOAD_ACTIVE.has(this.deps.aps.get(mac)?.predownloadStatus ?? 'None');
  }

  /** Queues the cached file's delivery to the APs that waited for its fetch, and those ready for it since; resolves when they ended. */
  private async deliverJob(run: UpgradeRun, job: ImageJob, starting: string[], onlyMac?: string): Promise<void> {
    if (run.cancelled) return;
    // APs that joined while the file was being fetched (or held) are delivered with the others.
    const started = new Set(starting);
    const ready = this.ready(run);
    const macs = onlyMac ? [onlyMac] : [...job.macs].filter((mac) => started.has(mac) || ready(mac));
    for (const mac of macs) this.deps.transitions.moveFromCurrent(mac, 'Downloading', ['Initiated']);
    this.checkStage(run);
    await Promise.all(macs.map((mac) => new Promise<void>((done) => run.deliveries.enqueue({ mac, kind: job.kind, priority: job.kind === 'controller', item: { job, done } }))));
    this.checkStage(run);
  }

  /**
   * Cancel's cut-off: nothing of the run starts any more (queued deliveries and retries are dropped),
   * what is in flight is aborted, and every AP of it stops.
   */
  cancel(run: UpgradeRun, reason: string): void {
    run.stop();
    const links = this.deps.links();
    for (const ap of [...this.deps.aps.reader.values()]) {
      if (ap.upgradeId !== run.id) continue;
      // Every AP drops its partial files, even one between two transfers.
      void links.get(ap.mac)?.abort(reason);
      if (stopsOnCancel(ap)) {
        this.deps.transitions.move(ap.mac, ap.predownloadStatus, 'Aborted', { nextRetryTime: null }, syslogText.apEvent(ap, 'Image Predownload Aborted'));
      } else if (ap.predownloadStatus === 'Failed' && ap.nextRetryTime) {
        // An AP that failed stays Failed with its reason: the cancel calls off its retry, it does not rewrite what happened.
        this.deps.aps.callOffRetry(ap.mac);
        this.deps.notifier.apChanged(ap.mac);
      }
    }
    this.deps.progress.clearAll();
  }

  /** A failed AP tries again; a retry nobody had scheduled (Retry now after the last one) is counted now. */
  retry(run: UpgradeRun, mac: string, unscheduled = false): void {
    run.retryTimers.delete(mac);
    if (run.cancelled || this.current() !== run) return;
    const ap = this.deps.aps.get(mac);
    if (!ap) return;
    if (!this.deps.transitions.move(mac, 'Failed', 'Initiated', { retryCount: retryNowCount(ap.retryCount, !unscheduled), nextRetryTime: null })) return;
    for (const kind of run.pending.get(mac) ?? []) {
      const job = run.jobFor(kind, ap.imageType);
      if (job) this.background(run, this.runJob(run, job, mac));
    }
  }

  /** Moves the bar forward to the first stage not yet done; ends the predownload when every AP has. O(1). */
  checkStage(run: UpgradeRun): void {
    if (this.current() !== run || run.cancelled) return;
    const latest = this.deps.upgrades.get(run.id);
    if (!latest || !isCancellable(latest.stage)) return;
    const controllerJob = run.jobs.find((job) => job.kind === 'controller');
    const step = nextPredownloadStage(
      latest.stage,
      (status) => this.deps.aps.reader.countInUpgrade(run.id, status),
      {
        controllerImagePending: controllerJob !== undefined && controllerJob.macs.size > 0,
        filesPending: run.jobs.some((job) => !job.image) || Boolean(run.hold?.view()),
        retriesWaiting: run.retryTimers.size,
      },
      run.targetVersion,
    );
    if (step) this.deps.stages.move(run.id, latest.stage, step.to, step.message);
  }

  private failUpgrade(run: UpgradeRun, message: Sentence): void {
    const latest = this.deps.upgrades.get(run.id);
    if (latest && isCancellable(latest.stage)) this.deps.stages.move(run.id, latest.stage, 'Failed', message);
  }
}
