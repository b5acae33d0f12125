import type { HeldImage, ImageVerification } from '../../lib/capwapEvents';
import { PREDOWNLOAD_ACTIVE, canTransition, planRetry, retryNote } from '../../lib/predownloadStatus';
import { ApSessionError } from '../capwap/apSession';
import { checkCachedImage, type SigningGate } from '../imageSource/bundleSignature';
import { verifiedWords } from '../imageSigning/imageVerification';
import type { AccessPointRecord, AccessPointRepository } from '../store/accessPointRepository';
import type { EventLine } from '../store/eventLog';
import type { UpgradeRunRepository } from '../store/upgradeRunRepository';
import type { ApLinks, EngineConfig } from './apLink';
import type { ConsoleNotifier } from './notifier';
import type { PredownloadTransitions } from './predownloadTransitions';
import { syslogText } from './syslogText';
import type { TransferProgress } from './transferProgress';
import { imageKey } from './imageKey';
import type { ImageJob, UpgradeRun } from './upgradeRun';

export interface PredownloadDeliveryDeps {
  config: EngineConfig;
  aps: AccessPointRepository;
  runs: UpgradeRunRepository;
  progress: TransferProgress;
  notifier: ConsoleNotifier;
  transitions: PredownloadTransitions;
  /** The APs connected now: asked at each use, as an AP may rejoin on a new session. */
  links: () => ApLinks;
}

/** What the orchestrator lends a delivery: it owns the stage and the retries. */
export interface DeliveryHooks {
  checkStage(run: UpgradeRun): void;
  retry(run: UpgradeRun, mac: string): void;
}

/**
 * One AP's side of a run: the delivery of a cached image through its slot, and how an AP ends
 * it (Complete, Not Supported, or Failed with its retry planned, as its row and its log line say).
 */
export class PredownloadDelivery {
  /** Image signing: what each run's Initiate finds (verified manifest, allowed unsigned bundle, or the refusal); set before anything can deliver. */
  private readonly signatures = new WeakMap<UpgradeRun, SigningGate>();

  constructor(
    private readonly deps: PredownloadDeliveryDeps,
    private readonly hooks: DeliveryHooks,
  ) {}

  /** The run's signing gate, which every delivery of it waits for. */
  signWith(run: UpgradeRun, gate: SigningGate): void {
    this.signatures.set(run, gate);
  }

  /** One delivery slot: precheck, stream, verify. Every failure ends as a failed AP, never as a rejection. */
  async deliver(run: UpgradeRun, job: ImageJob, mac: string): Promise<void> {
    const ap = this.deps.aps.get(mac);
    const image = job.image;
    if (!ap || !image || run.cancelled || ap.predownloadStatus === 'Failed') return;
    const link = this.deps.links().get(mac);
    if (!link) {
      this.failAp(run, mac, 'AP is not connected', true);
      return;
    }
    const version = (job.kind === 'ap' ? run.targetVersion : run.targetControllerVersion) ?? 'unknown';
    const transferId = run.nextTransferId(mac, job.kind);
    // Image signing: the cached image must be the one the signed manifest lists, or the AP gets no byte of it.
    const signed = checkCachedImage(await this.signatures.get(run)?.result, image, run.source);
    if (run.cancelled) return;
    if (!signed.ok) return this.failAp(run, mac, signed.reason, false);
    const offer = { transferId, kind: job.kind, fileName: job.fileName, version, size: image.size, sha256: image.sha256, verification: signed.value };
    const sentKey = imageKey(job.kind, mac);
    run.delivering.add(sentKey);
    try {
      const precheck = await link.precheck(offer);
      if (run.cancelled) return;
      if (!precheck.ok) {
        this.failAp(run, mac, `PRECHECK failed: ${precheck.message}`, false);
        return;
      }
      this.deps.transitions.moveFromCurrent(mac, 'Predownloading', ['Initiated', 'Downloading']);
      this.deps.progress.start(mac, job.kind, image.size);
      const reply = await link.deliver(offer, image.path, {
        signal: run.abort.signal,
        maxResumeOffset: run.sentBytes.get(sentKey) ?? image.size,
        onAcknowledged: (bytes) => {
          run.sentBytes.set(sentKey, Math.max(bytes, run.sentBytes.get(sentKey) ?? 0));
          if (this.deps.progress.update(mac, job.kind, bytes)) this.deps.runs.recordAcknowledged(run.id, { mac, kind: job.kind, bytes, total: image.size });
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
      this.deps.runs.recordAcknowledged(run.id, { mac, kind: job.kind, bytes: image.size, total: image.size });
      this.delivered(run, job, mac, version, reply.sha256, signed.value);
    } catch (error) {
      if (run.cancelled) return;
      this.failAp(run, mac, error instanceof ApSessionError ? error.message : `Internal error: ${(error as Error).message}`, true);
    } finally {
      run.delivering.delete(sentKey);
    }
  }

  private delivered(run: UpgradeRun, job: ImageJob, mac: string, version: string, sha256: string, verification: ImageVerification): void {
    if (job.kind === 'ap') this.deps.aps.recordBackupImage(mac, version, sha256);
    else this.deps.aps.recordControllerBackupImage(mac, version);
    job.macs.delete(mac);
    const pending = run.pending.get(mac);
    pending?.delete(job.kind);
    if (pending) this.deps.runs.recordPending(run.id, mac, pending);
    if (pending && pending.size > 0) {
      // The AP hosting the controller has one of its two images. Unless the other's delivery is under way already
      // (both may be, in parallel mode), nothing flows to it until that one is fetched and a slot is free: it waits as Downloading.
      const flowing = [...pending].some((kind) => run.delivering.has(imageKey(kind, mac)));
      if (flowing || !this.deps.transitions.move(mac, 'Predownloading', 'Downloading')) this.deps.notifier.apChanged(mac);
      return;
    }
    this.deps.notifier.apChanged(mac);
    const ap = this.deps.aps.get(mac)!;
    this.deps.transitions.move(mac, 'Predownloading', 'Complete', { predownloadVersion: run.targetVersion, nextRetryTime: null, lastError: null }, [
      syslogText.imageDownload(ap, this.deps.links().endpoints(mac), true),
      syslogText.apEvent(ap, `Image Predownload Success: ${ap.backupImage}, ${verifiedWords(verification)}`),
    ]);
    this.hooks.checkStage(run);
  }

  /**
   * An AP of the run joined again saying what it holds. Of an image it still needs, the part it holds (that image's
   * SHA-256, as the run recorded it) shows on its row until its delivery restarts: after a controller restart or a
   * takeover it waits for the image, a slot or the other APs, and resumes from exactly there. What it says replaces
   * the last count it acknowledged before the restart, more or less than it (an AP that lost its storage holds none).
   */
  joinedHolding(run: UpgradeRun, mac: string, held: readonly HeldImage[]): void {
    const ap = this.deps.aps.get(mac);
    if (!ap || run.cancelled || ap.upgradeId !== run.id || !PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus)) return;
    let shown = false;
    for (const kind of run.pending.get(mac) ?? []) {
      const job = run.jobFor(kind, ap.imageType);
      const image = job?.image ?? job?.recorded;
      const holds = image && held.find((h) => h.kind === kind && h.sha256 === image.sha256 && h.bytes > 0 && h.bytes <= image.size);
      if (!image || !holds) {
        if (this.deps.progress.rejoinedWithout(mac, kind)) shown = true;
        continue;
      }
      this.deps.progress.heldAtJoin(mac, kind, holds.bytes, image.size);
      shown = true;
    }
    if (shown) this.deps.notifier.apChanged(mac);
  }

  notSupported(run: UpgradeRun, mac: string, reason: string): void {
    const ap = this.deps.aps.get(mac);
    if (!ap || !PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus)) return;
    // The AP hosting the controller may already be receiving the controller image, or hold it: then it cannot complete, it fails.
    if (!canTransition(ap.predownloadStatus, 'NotSupported') || run.receivedPart(ap)) return this.failAp(run, mac, reason, false);
    this.deps.transitions.move(mac, ap.predownloadStatus, 'NotSupported', { lastError: reason }, syslogText.apEvent(ap, `Image type ${ap.imageType} not supported: ${reason}`, 'warning'));
    // What it held of an image of a resumed run no longer shows: that image will not reach it.
    this.deps.progress.clear(mac);
    run.pending.delete(mac);
  }

  /**
   * How an AP's failed image download is logged: the EWC's `Disjoined Image Download Failed` line, then
   * this console's detail line (the reason, and the retry it announces).
   */
  downloadFailedLines(ap: AccessPointRecord, detail: string): EventLine[] {
    return [syslogText.imageDownload(ap, this.deps.links().endpoints(ap.mac), false), syslogText.apEvent(ap, detail, 'error')];
  }

  failAp(run: UpgradeRun, mac: string, reason: string, retryable: boolean): void {
    const ap = this.deps.aps.get(mac);
    if (!ap || !PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus)) return;
    this.deps.progress.clear(mac);
    // The row's Retry Count and Next Retry Time change with the line that announces the retry.
    const retry = planRetry(ap.retryCount, retryable, this.deps.config.retry, Date.now());
    const changes = { lastError: reason, nextRetryTime: retry?.nextRetryTime ?? null, retryCount: retry?.retryCount ?? ap.retryCount };
    const lines = this.downloadFailedLines(ap, `Image Predownload Failed: ${reason}${retryNote(retry, this.deps.config.retry)}`);
    if (!this.deps.transitions.move(mac, ap.predownloadStatus, 'Failed', changes, lines)) return;
    if (retry) this.scheduleRetry(run, mac, retry.delayMs);
    this.hooks.checkStage(run);
  }

  /** A failed AP's retry, planned (or, after a restart, planned again for the time its row says). */
  scheduleRetry(run: UpgradeRun, mac: string, delayMs: number): void {
    run.retryTimers.set(
      mac,
      setTimeout(() => this.hooks.retry(run, mac), delayMs),
    );
  }
}
