import type { ImageOffer, ImageVerification } from '../../lib/capwapEvents';
import { isImageType } from '../../lib/imageBundle';
import { PREDOWNLOAD_ACTIVE, PREDOWNLOAD_RESTARTABLE, planRetry, retryNote, retryNowCount } from '../../lib/predownloadStatus';
import { sentence, type Sentence } from '../../lib/serverSentences';
import { isCancellable, UPGRADE_ENDS } from '../../lib/upgradeStage';
import type { ApRegistry } from '../capwap/apRegistry';
import { ApSessionError } from '../capwap/apSession';
import type { ConsoleConfig } from '../config';
import { checkCachedImage } from '../imageSource/bundleSignature';
import type { CachedImage } from '../imageSource/imageCache';
import { ImageFetchError, ImageTypeNotOfferedError, type ImageSource } from '../imageSource/imageSource';
import { verifiedWords } from '../imageSigning/imageVerification';
import type { AccessPointRecord, AccessPointRepository } from '../store/accessPointRepository';
import type { EventLog } from '../store/eventLog';
import type { StoredProfile } from '../store/profileRepository';
import type { UpgradeRecord } from '../store/upgradeRepository';
import { DeliveryQueue } from './deliveryQueue';
import { installReport } from './installLog';
import { JoinImageSources } from './joinImageSource';
import type { ConsoleNotifier } from './notifier';
import { MacTimers } from './macTimers';
import type { PredownloadTransitions } from './predownloadTransitions';
import { downloadFailure, syslogText } from './syslogText';
import type { TransferProgress } from './transferProgress';

export interface JoinImageDownloadDeps {
  config: ConsoleConfig;
  aps: AccessPointRepository;
  log: EventLog;
  progress: TransferProgress;
  notifier: ConsoleNotifier;
  transitions: PredownloadTransitions;
  registry: () => ApRegistry;
  createImageSource: (profile: StoredProfile) => ImageSource;
  /** The saved image download profile, or null while none was saved: the EWC downloads at join only from a saved one. */
  savedProfile: () => StoredProfile | null;
}

interface JoinDelivery {
  image: CachedImage;
  verification: ImageVerification;
  version: string;
  attempt: number;
  done: () => void;
}

/**
 * The EWC's image download at join: an approved AP that joins running another AP image than the
 * controller's is given the controller's version from the saved profile's image server, as its
 * primary image (`IsPre 0`); it reloads and joins again running it. Each image type is fetched once
 * into the join image cache and reused for every later joiner; deliveries share
 * `EWC_MAX_CONCURRENT_PREDOWNLOADS` slots. The orchestrator decides when a join is this one's (no
 * predownload or activation under way): a predownload that starts stops these downloads first.
 */
export class JoinImageDownload {
  private abort = new AbortController();
  private readonly sources: JoinImageSources;
  private readonly queue: DeliveryQueue<JoinDelivery>;
  private readonly retryTimers = new MacTimers();
  private readonly rejoinTimers = new MacTimers();
  /** The attempt under way for each AP: a step that finds another one (or none, after a stop) no longer acts. */
  private readonly attempts = new Map<string, number>();
  /** What the controller already sent each AP of the current image: the furthest it may ask to resume. */
  private readonly sent = new Map<string, number>();
  private nextAttempt = 0;
  /** The AP hosting the controller: undefined until looked for, null while there is none. */
  private hostMac: string | null | undefined = undefined;
  /** Makes this process's transfer ids its own: an AP may still hold one of a controller that restarted. */
  private readonly started = Date.now().toString(36);
  /** APs that joined on another version during an activation: they are given the controller's once it ended. */
  private readonly deferred = new Set<string>();

  constructor(private readonly deps: JoinImageDownloadDeps) {
    this.sources = new JoinImageSources(deps, () => this.abort.signal);
    this.queue = new DeliveryQueue(deps.config.maxConcurrentPredownloads, ({ mac, item }) => this.deliver(mac, item).finally(item.done));
  }

  /**
   * The controller's own AP image version: the one the AP hosting the controller runs (the EWC is
   * software on that AP, and gives joining APs the AP image it runs itself). Null when no AP hosting
   * the controller has ever joined: the controller then cannot say which version a joiner needs.
   */
  controllerApVersion(): string | null {
    // Found once (then told by the host's own joins), not at every join: a fleet of thousands joins at once after an outage.
    let host = this.hostMac ? this.deps.aps.get(this.hostMac) : undefined;
    if (this.hostMac === undefined || (this.hostMac !== null && !host?.hostsController)) {
      host = [...this.deps.aps.reader.values()].find((ap) => ap.hostsController);
      this.hostMac = host?.mac ?? null;
    }
    return host?.primaryImage ?? null;
  }

  /** Whether the controller holds the image of this type for APs that join. */
  imageHeldFor(imageType: string): boolean {
    return this.sources.held(imageType);
  }

  /** Place in line of each image waiting for a delivery slot, keyed by `imageKey` (1 is next). */
  queuePositions(): Map<string, number> {
    return this.queue.positions();
  }

  /**
   * An approved AP joined, and no predownload or activation claims it: it is given the controller's AP
   * image if it runs another one. Whatever keeps it from one is said in the log.
   */
  joined(ap: AccessPointRecord, latest: UpgradeRecord | null): void {
    if (ap.hostsController) {
      this.hostMac = ap.mac;
      return;
    }
    const version = this.controllerApVersion();
    const refused = (why: string): void => {
      this.deps.log.write(syslogText.apEvent(ap, `No image download at join: ${why}`, 'warning'));
    };
    if (version === ap.primaryImage) return;
    const profile = this.deps.savedProfile();
    // Without a saved profile the EWC downloads nothing at join, and says nothing of it either.
    if (!profile) return;
    if (version === null) return refused(`the controller's AP image version is unknown (no AP hosting the controller has joined); the AP keeps running ${ap.primaryImage}`);
    if (latest?.stage === 'Reload') {
      this.deferred.add(ap.mac);
      return refused(`an activation is in progress (upgrade ${latest.id}); the AP is given the controller's version when the activation ends`);
    }
    // An upgrade not yet ended (its Activate waits) keeps its APs: their rows are its progress. One that ended keeps its counts in the history, and its APs join as any AP does.
    if (latest && ap.upgradeId === latest.id && !UPGRADE_ENDS.has(latest.stage))
      return refused(`the AP is part of upgrade ${latest.id} (${ap.predownloadStatus}); the next Save & Download gives it an image`);
    // Its download at join under way (fetching, or waiting for a slot) goes on and delivers to the new session.
    if (this.attempts.has(ap.mac) && PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus)) {
      this.deps.log.write(syslogText.apEvent(ap, `Image Download at join goes on: the AP joined again running ${ap.primaryImage} during it`));
      return;
    }
    this.start(ap, version, profile);
  }

  /** Starts the download at join of the controller's version to this AP, from the saved profile's image server. */
  private start(ap: AccessPointRecord, version: string, profile: StoredProfile): void {
    this.clearTimers(ap.mac);
    const initiated = this.deps.transitions.moveFromCurrent(ap.mac, 'Initiated', [...PREDOWNLOAD_RESTARTABLE], {
      upgradeId: null,
      retryCount: 0,
      nextRetryTime: null,
      lastError: null,
      predownloadVersion: version,
    });
    if (!initiated) return;
    this.deps.log.write(
      syslogText.apEvent(
        ap,
        `Image Download at join: the AP runs ${ap.primaryImage}, the controller ${version}; downloading ${ap.imageType} from ${this.sources.sourceFor(profile).source.displayUrl('')}`,
      ),
    );
    void this.download(ap.mac);
  }

  /**
   * Retry now (the row's button, the API) of an AP whose download at join failed, waiting for its retry or
   * not: the waiting retry is called off and the download starts again now, for the controller's version
   * now, from the profile as saved now (an engineer fixes the path, then retries). Answers why it cannot
   * instead, saying what will happen.
   */
  retryNow(ap: AccessPointRecord, latest: UpgradeRecord | null): Sentence | null {
    const version = this.controllerApVersion();
    if (!this.deps.savedProfile()) return sentence('atJoinNoProfile', { name: ap.name });
    if (version === null) return sentence('atJoinVersionUnknown', { name: ap.name });
    if (!this.deps.registry().isConnected(ap.mac)) return sentence('atJoinNotConnected', { name: ap.name, version });
    if (latest && isCancellable(latest.stage)) return sentence('atJoinPredownloadFirst', { id: latest.id, name: ap.name });
    if (latest?.stage === 'Reload') {
      this.deferred.add(ap.mac);
      return sentence('atJoinActivationFirst', { id: latest.id, name: ap.name });
    }
    if (version === ap.primaryImage) return sentence('atJoinRunsVersion', { name: ap.name, version });
    const waiting = this.retryTimers.has(ap.mac);
    this.clearTimers(ap.mac);
    const changes = { retryCount: retryNowCount(ap.retryCount, waiting), nextRetryTime: null, predownloadVersion: version };
    if (!this.deps.transitions.move(ap.mac, 'Failed', 'Initiated', changes, syslogText.apEvent(ap, 'Image Download retried now by the administrator')))
      return sentence('atJoinNotFailed', { name: ap.name });
    void this.download(ap.mac);
    return null;
  }

  /**
   * Abort (the row's button, the API) of a download at join under way or waiting for its retry: the transfer
   * stops, the AP drops its partial image and keeps running its version; as on the EWC, it is given the
   * controller's version again when it joins next. Answers why it cannot instead.
   */
  abortNow(ap: AccessPointRecord): Sentence | null {
    const waiting = ap.predownloadStatus === 'Failed' && this.retryTimers.has(ap.mac);
    if (!PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus) && !waiting) return sentence('atJoinNoDownload', { name: ap.name, status: ap.predownloadStatus });
    const reason = 'aborted for this AP by the administrator';
    const line = syslogText.apEvent(ap, `Image Download Aborted: ${reason}; it is given the controller's version when it joins again`, 'warning');
    if (!this.deps.transitions.move(ap.mac, ap.predownloadStatus, 'Aborted', { nextRetryTime: null, lastError: `Image Download ${reason}` }, line))
      return sentence('atJoinNoDownloadNow', { name: ap.name });
    // The attempt ends here: a fetch or a slot it waits for finds no attempt of its own and does nothing more.
    this.attempts.delete(ap.mac);
    this.clearTimers(ap.mac);
    this.deps.progress.clear(ap.mac);
    void this.deps.registry().get(ap.mac)?.abort(`Image Download ${reason}`);
    return null;
  }

  /**
   * An AP this controller gave an image at join joined again: running it (Joined) or not (Failed); its row as
   * it is now. Null for an AP reloading for another reason (an activation's).
   */
  rejoined(ap: AccessPointRecord): AccessPointRecord | null {
    if (!this.rejoinTimers.clear(ap.mac)) return null;
    if (ap.primaryImage === ap.predownloadVersion) this.deps.transitions.move(ap.mac, 'Reloading', 'Joined', {}, syslogText.apEvent(ap, `Joined running ${ap.primaryImage}`));
    else this.rejoinFailed(ap.mac, `AP joined running ${ap.primaryImage}, expected ${ap.predownloadVersion}`);
    return this.deps.aps.get(ap.mac) ?? null;
  }

  /**
   * After a restart: a download at join the stop cut is over (its row says *Aborted*, and the AP starts again
   * when it joins), a failed one waits for no retry any more, and an AP that was reloading into its image has
   * a fresh rejoin deadline.
   */
  recover(): void {
    for (const ap of [...this.deps.aps.reader.values()]) {
      if (ap.upgradeId !== null) continue;
      // The retry it waited for was a timer of the stopped process: its row promises none; the AP's next join starts over.
      if (ap.predownloadStatus === 'Failed' && ap.nextRetryTime !== null) this.deps.aps.callOffRetry(ap.mac);
      else if (PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus)) {
        this.deps.transitions.move(ap.mac, ap.predownloadStatus, 'Aborted', { nextRetryTime: null }, syslogText.apEvent(ap, 'Image Download Aborted: the controller restarted during it', 'warning'));
      } else if (ap.predownloadStatus === 'Reloading') this.awaitRejoin(ap.mac);
    }
  }

  /** The activation ended: the APs that joined during it and are still connected are given the controller's version now (its new one, if it changed). */
  activationEnded(latest: UpgradeRecord | null): void {
    const macs = [...this.deferred];
    this.deferred.clear();
    for (const mac of macs) {
      const ap = this.deps.aps.get(mac);
      if (ap && this.deps.registry().isConnected(mac)) this.joined(ap, latest);
    }
  }

  /**
   * A predownload takes precedence: every download at join stops, its AP drops its partial image and
   * shows *Aborted* (an AP already reloading into its image is left to come back).
   */
  yieldToPredownload(reason: string): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.queue.clear().forEach(({ item }) => item.done());
    for (const mac of [...this.attempts.keys(), ...this.retryTimers.macs()]) {
      const ap = this.deps.aps.get(mac);
      this.retryTimers.clear(mac);
      if (!ap || !(PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus) || ap.predownloadStatus === 'Failed')) continue;
      this.deps.progress.clear(mac);
      void this.deps.registry().get(mac)?.abort(reason);
      this.deps.transitions.move(mac, ap.predownloadStatus, 'Aborted', { nextRetryTime: null }, syslogText.apEvent(ap, `Image Download Aborted: ${reason}`, 'warning'));
    }
    this.attempts.clear();
  }

  dispose(): void {
    this.abort.abort();
    this.queue.clear();
    this.retryTimers.clearAll();
    this.rejoinTimers.clearAll();
    this.attempts.clear();
  }

  private async download(mac: string): Promise<void> {
    const attempt = ++this.nextAttempt;
    this.attempts.set(mac, attempt);
    const current = () => this.attempts.get(mac) === attempt;
    const ap = this.deps.transitions.moveFromCurrent(mac, 'Downloading', ['Initiated']);
    const version = ap?.predownloadVersion;
    if (!ap || !version) return;
    const profile = this.deps.savedProfile();
    if (!profile) return this.fail(mac, 'No image download profile is saved', false, true);
    // The AP compares its version with the controller's and enters the Image Data state, as in the seed's AP log.
    this.deps.registry().get(mac)?.announceVersionMismatch(version);
    const joinSource = this.sources.sourceFor(profile);
    const bundle = await this.sources.bundleVersion(joinSource);
    if (!current()) return;
    if (!bundle.ok) return this.fail(mac, downloadFailure(bundle.url, bundle.reason), true, true);
    if (bundle.version !== version) {
      return this.fail(mac, `The image download profile's bundle ${joinSource.source.displayUrl('')} holds AP image ${bundle.version}, the controller runs ${version}: no image sent`, false, true);
    }
    if (!isImageType(ap.imageType)) return this.notSupported(mac, `Image type ${ap.imageType} is not in the bundle`);
    let image: CachedImage;
    try {
      image = await joinSource.cache.get(ap.imageType, this.sources.fetchOptions(), installReport(this.deps.log, joinSource.source.displayUrl(ap.imageType)));
    } catch (error) {
      if (!current()) return;
      if (error instanceof ImageTypeNotOfferedError) return this.notSupported(mac, error.reason);
      const fetchError = error instanceof ImageFetchError ? error : new ImageFetchError(String(error), true);
      return this.fail(mac, downloadFailure(joinSource.source.displayUrl(ap.imageType), fetchError.reason), fetchError.retryable, true);
    }
    // The same signing gate a predownload passes: the image reaches the AP only if what vouches for it holds.
    const vouched = await this.sources.signing(joinSource, version).result;
    // Checked before the pinned digests are read: a controller that closed meanwhile has closed its store too.
    if (!current()) return;
    const signed = checkCachedImage(vouched, image, joinSource.source);
    if (!signed.ok) return this.fail(mac, signed.reason, false, true);
    if (this.sources.isCurrent(joinSource)) joinSource.held.add(ap.imageType);
    this.deps.notifier.apChanged(mac);
    await new Promise<void>((done) => this.queue.enqueue({ mac, kind: 'ap', priority: false, item: { image, verification: signed.value, version, attempt, done } }));
  }

  /** One delivery slot: precheck, stream, verify. Every failure ends as a failed AP, never as a rejection. */
  private async deliver(mac: string, { image, verification, version, attempt }: JoinDelivery): Promise<void> {
    if (this.attempts.get(mac) !== attempt) return;
    const session = this.deps.registry().get(mac);
    if (!session) return this.fail(mac, 'AP is not connected', true, false);
    const offer: ImageOffer = { transferId: `join-${this.started}-${attempt}`, kind: 'ap', fileName: image.fileName, version, size: image.size, sha256: image.sha256, verification, primary: true };
    const signal = this.abort.signal;
    const sentKey = `${mac}:${image.sha256}`;
    try {
      const precheck = await session.precheck(offer);
      if (this.attempts.get(mac) !== attempt) return;
      if (!precheck.ok) return this.fail(mac, `PRECHECK failed: ${precheck.message}`, false, false);
      this.deps.progress.start(mac, 'ap', image.size);
      const reply = await session.deliver(offer, image.path, {
        signal,
        maxResumeOffset: this.sent.get(sentKey) ?? image.size,
        onAcknowledged: (bytes) => {
          this.sent.set(sentKey, Math.max(bytes, this.sent.get(sentKey) ?? 0));
          this.deps.progress.update(mac, 'ap', bytes);
          this.deps.notifier.apChanged(mac);
        },
      });
      if (this.attempts.get(mac) !== attempt) return;
      if (!reply.ok) return this.fail(mac, reply.message, true, false);
      if (reply.sha256 !== image.sha256) return this.fail(mac, `Image verification failed: AP reported sha256 ${reply.sha256 || '(none)'}, expected ${image.sha256}`, true, false);
      this.deps.progress.complete(mac, 'ap');
      this.installed(mac, version, verification);
    } catch (error) {
      if (this.attempts.get(mac) !== attempt || signal.aborted) return;
      this.fail(mac, error instanceof ApSessionError ? error.message : `Internal error: ${(error as Error).message}`, true, false);
    }
  }

  /** The AP holds the image as its primary one and reloads to run it; it has the rejoin deadline to come back on it. */
  private installed(mac: string, version: string, verification: ImageVerification): void {
    this.attempts.delete(mac);
    const ap = this.deps.aps.get(mac);
    if (!ap) return;
    const moved = this.deps.transitions.move(mac, 'Downloading', 'Reloading', { nextRetryTime: null, lastError: null }, [
      syslogText.imageDownload(ap, this.deps.registry().endpoints(mac), true),
      syslogText.apEvent(ap, `Image Download Success: ${version}, ${verifiedWords(verification)}; the AP reloads to run it`),
    ]);
    if (moved) this.awaitRejoin(mac);
  }

  private awaitRejoin(mac: string): void {
    const seconds = Math.round(this.deps.config.rejoinTimeoutMs / 1000);
    this.rejoinTimers.set(mac, this.deps.config.rejoinTimeoutMs, () => this.rejoinFailed(mac, `AP did not join again within ${seconds} s`));
  }

  private rejoinFailed(mac: string, reason: string): void {
    const ap = this.deps.aps.get(mac);
    if (ap) this.deps.transitions.move(mac, 'Reloading', 'Failed', { lastError: reason }, syslogText.apEvent(ap, `Reload failed: ${reason}`, 'error'));
  }

  private notSupported(mac: string, reason: string): void {
    this.attempts.delete(mac);
    const ap = this.deps.aps.get(mac);
    if (!ap) return;
    this.deps.transitions.move(mac, 'Downloading', 'NotSupported', { lastError: reason }, syslogText.apEvent(ap, `Image type ${ap.imageType} not supported: ${reason}`, 'warning'));
  }

  /**
   * A failed download at join: the EWC's `Disjoined Image Download Failed` line, then why and the retry it
   * announces (the usual back-off). `beforeTransfer`: the controller could not get the image, and the AP
   * restarts its image download state (the seed's `image download cannot start`).
   */
  private fail(mac: string, reason: string, retryable: boolean, beforeTransfer: boolean): void {
    this.attempts.delete(mac);
    const ap = this.deps.aps.get(mac);
    if (!ap || !PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus)) return;
    this.deps.progress.clear(mac);
    const retry = planRetry(ap.retryCount, retryable, this.deps.config.retry, Date.now());
    const changes = { lastError: reason, nextRetryTime: retry?.nextRetryTime ?? null, retryCount: retry?.retryCount ?? ap.retryCount };
    const lines = [
      syslogText.imageDownload(ap, this.deps.registry().endpoints(mac), false),
      syslogText.apEvent(ap, `Image Download Failed: ${reason}${retryNote(retry, this.deps.config.retry)}`, 'error'),
    ];
    if (!this.deps.transitions.move(mac, ap.predownloadStatus, 'Failed', changes, lines)) return;
    void this.deps.registry().get(mac)?.abort(reason, beforeTransfer);
    if (retry) this.retryTimers.set(mac, retry.delayMs, () => this.retry(mac));
  }

  private retry(mac: string): void {
    if (!this.deps.transitions.move(mac, 'Failed', 'Initiated', { nextRetryTime: null })) return;
    void this.download(mac);
  }

  private clearTimers(mac: string): void {
    this.retryTimers.clear(mac);
    this.rejoinTimers.clear(mac);
  }
}
