import fs from 'node:fs';
import type { HeldImage } from '../../lib/capwapEvents';
import { PREDOWNLOAD_ACTIVE } from '../../lib/predownloadStatus';
import { sentence } from '../../lib/serverSentences';
import { isCancellable } from '../../lib/upgradeStage';
import type { ConsoleConfig } from '../config';
import type { ApRegistry } from '../capwap/apRegistry';
import type { AccessPointRecord } from '../fleet/accessPoint';
import { ImageCache, imageCacheDirOf } from '../imageSource/imageCache';
import { sha256OfFile } from '../imageSigning/fileDigest';
import type { ImageSource } from '../imageSource/imageSource';
import type { AccessPointRepository } from '../store/accessPointRepository';
import type { EventLog } from '../store/eventLog';
import type { StoredProfile } from '../store/profileRepository';
import type { UpgradeRecord, UpgradeRepository } from '../store/upgradeRepository';
import type { PersistedRun, UpgradeRunRepository } from '../store/upgradeRunRepository';
import type { PredownloadTransitions } from './predownloadTransitions';
import { syslogText } from './syslogText';
import type { TransferProgress } from './transferProgress';
import { imageKindsFor, newImageJob, type UpgradeRun } from './upgradeRun';
import type { UpgradeStages } from './upgradeStages';
import type { Executor } from '../store/store';
import type { UnitOfWork } from '../store/unitOfWork';

export interface RunRecoveryDeps {
  config: ConsoleConfig;
  db: Executor;
  aps: AccessPointRepository;
  upgrades: UpgradeRepository;
  /** The durable side of the running upgrade, so a restarted controller carries on. */
  runs: UpgradeRunRepository;
  log: EventLog;
  store: UnitOfWork;
  transitions: PredownloadTransitions;
  stages: UpgradeStages;
  registry: () => ApRegistry;
  createImageSource: (profile: StoredProfile) => ImageSource;
  progress: TransferProgress;
}

/** What the orchestrator lends the resume path: it owns runs, retries and the reload. */
export interface ResumeHooks {
  /** Makes a run for this upgrade and installs it as the orchestrator's current one. */
  newRun(id: number, source: ImageSource, cache: ImageCache, parallelMode: boolean): UpgradeRun;
  /** Carries on: reads the version files, enrols APs not in the run yet, fetches what is missing, delivers. */
  continueRun(run: UpgradeRun): void;
  scheduleRetry(run: UpgradeRun, mac: string, delayMs: number): void;
  /** An AP of the run, connected already, says what it holds (as when it joins). */
  joinedHolding(run: UpgradeRun, mac: string, held: readonly HeldImage[]): void;
  /** Waits again for the APs of an upgrade killed during Reload. */
  resumeReload(upgrade: UpgradeRecord): void;
}

/** An AP of the run that is still owed something: queued, transferring, or waiting for its retry. */
const owedSomething = (ap: AccessPointRecord, upgradeId: number) =>
  ap.upgradeId === upgradeId && (PREDOWNLOAD_ACTIVE.has(ap.predownloadStatus) || (ap.predownloadStatus === 'Failed' && ap.nextRetryTime !== null));

/**
 * The start-up path of a controller that was stopped or killed mid-upgrade. Everything it needs is in
 * the database: the upgrade row (stage, targets), the run (profile snapshot, cache folder, jobs with the
 * SHA-256 of each cached image, what each AP still needs) and the AP rows (status, retry schedule).
 * AP rows are written behind by up to one store tick, so a resumed AP may be a step behind what it
 * really did; every step it may redo is idempotent (an AP resumes from the bytes it holds, and one
 * that already staged the image answers that it has all of it).
 */
export class RunRecovery {
  private waiting: { run: UpgradeRun; macs: Set<string>; timer: NodeJS.Timeout; release: () => void } | null = null;

  constructor(
    private readonly deps: RunRecoveryDeps,
    private readonly hooks: ResumeHooks,
  ) {}

  /** `takeover`: this node took the leader lock from another node, which led the upgrade (null: this controller restarted). */
  async recover(takeover: { node: string } | null = null): Promise<void> {
    const latest = this.deps.upgrades.latest();
    if (!latest) return;
    if (latest.stage === 'Reload') {
      await this.announce(latest, takeover);
      this.hooks.resumeReload(latest);
      return;
    }
    if (!isCancellable(latest.stage)) return;
    let persisted: PersistedRun | null = null;
    let unreadable: string | null = null;
    try {
      persisted = await this.deps.runs.load(this.deps.db, latest.id);
    } catch (error) {
      unreadable = (error as Error).message;
    }
    if (!persisted) {
      this.abandon(latest, unreadable ? `its saved run cannot be read (${unreadable})` : 'it was started before runs were saved');
      return;
    }
    await this.announce(latest, takeover);
    this.resume(latest, persisted);
  }

  /** An AP joined. True while a resumed run is waiting for its APs: it is counted, not enrolled yet. */
  apJoined(mac: string): boolean {
    const waiting = this.waiting;
    // A resumed run cancelled (or replaced) while it waited no longer holds anyone back.
    if (!waiting || waiting.run.cancelled) return false;
    waiting.macs.delete(mac);
    if (waiting.macs.size === 0) waiting.release();
    return true;
  }

  dispose(): void {
    if (this.waiting) clearTimeout(this.waiting.timer);
    this.waiting = null;
  }

  private async announce(latest: UpgradeRecord, takeover: { node: string } | null): Promise<void> {
    // A takeover is no restart of this controller: one line says which it was.
    this.deps.log.write(takeover ? syslogText.takeover(takeover.node, latest.id, latest.stage) : syslogText.restartResume(latest.id, latest.stage));
    // Written at once, not at the next tick: a console killed again right after its start still leaves this line.
    await this.deps.store.flush();
  }

  private resume(latest: UpgradeRecord, persisted: PersistedRun): void {
    const source = this.deps.createImageSource(persisted.profile);
    // This node's own cache folder (the saved one on a restart): after a takeover the saved one is another node's.
    const run = this.hooks.newRun(latest.id, source, new ImageCache(imageCacheDirOf(this.deps.config.dataDir, latest.id), source), persisted.profile.parallelMode);
    run.targetVersion = latest.targetVersion;
    run.targetControllerVersion = latest.targetControllerVersion;
    for (const job of persisted.jobs) {
      const recorded = job.sha256 !== null && job.size !== null ? { size: job.size, sha256: job.sha256 } : undefined;
      run.jobs.push({ fileName: job.fileName, kind: job.kind, imageType: job.imageType, image: null, recorded, macs: new Set() });
    }

    const owed = [...this.deps.aps.reader.values()].filter((ap) => owedSomething(ap, run.id));
    for (const ap of owed) {
      // Nothing reaches an AP that was receiving until its delivery restarts: it waits (for the image, a slot, its
      // rejoin) as a queued AP does, and its row says so, with what it holds once it joins again and says.
      if (ap.predownloadStatus === 'Predownloading') this.deps.transitions.move(ap.mac, 'Predownloading', 'Downloading');
      // Written in the tick of the AP's enrolment, so it is there; if not, the AP needs what enrolment gives it.
      const kinds = persisted.pending.get(ap.mac) ?? imageKindsFor(ap);
      run.pending.set(ap.mac, new Set(kinds));
      for (const kind of kinds) {
        let job = run.jobFor(kind, ap.imageType);
        if (!job) {
          job = newImageJob(kind, ap.imageType);
          run.jobs.push(job);
        }
        job.macs.add(ap.mac);
      }
    }
    this.showAcknowledged(run, owed, persisted);
    // Before the APs were enrolled nobody knows who was connected: wait for every AP the fleet knows.
    const expected = persisted.pending.size > 0 ? owed : [...this.deps.aps.reader.values()];
    void Promise.all([this.reuseCachedImages(run, persisted), this.rejoinOf(run, expected)]).then(
      () => {
        this.waiting = null;
        if (run.cancelled) return;
        const now = Date.now();
        for (const ap of owed) {
          if (ap.predownloadStatus === 'Failed' && ap.nextRetryTime) this.hooks.scheduleRetry(run, ap.mac, Math.max(0, Date.parse(ap.nextRetryTime) - now));
        }
        this.hooks.continueRun(run);
      },
      (error: Error) => this.deps.log.write(syslogText.upgrade(`Upgrade ${run.id}: cannot resume: ${error.message}`, 'error')),
    );
  }

  /**
   * Until an AP of the run rejoins and says what it holds, its row shows the last count it acknowledged, as the store
   * kept it (standing still, said as such: never 0 for an AP that holds part of its image, never live progress). An AP
   * connected already (it failed over to this node before it took over) says what it holds now; an image it received
   * whole before the restart (the hosting AP's first image, its other one still owed) shows delivered.
   */
  private showAcknowledged(run: UpgradeRun, owed: readonly AccessPointRecord[], persisted: PersistedRun): void {
    const registry = this.deps.registry();
    const owedMacs = new Set(owed.filter((ap) => PREDOWNLOAD_ACTIVE.has(this.deps.aps.get(ap.mac)?.predownloadStatus ?? 'None')).map((ap) => ap.mac));
    for (const record of persisted.acknowledged) {
      if (!owedMacs.has(record.mac)) continue;
      const stillOwed = run.pending.get(record.mac)?.has(record.kind) ?? false;
      if (!stillOwed && record.bytes === record.total) this.deps.progress.deliveredBefore(record.mac, record.kind, record.total);
      else if (stillOwed && !registry.isConnected(record.mac)) this.deps.progress.lastAcknowledged(record.mac, record.kind, record.bytes, record.total);
    }
    for (const mac of owedMacs) {
      const session = registry.get(mac);
      if (session) this.hooks.joinedHolding(run, mac, session.info.heldImages ?? []);
    }
  }

  /** Resolves once every expected AP joined again, or after `EWC_RESUME_WAIT_MS`; the missing ones then fail and retry as usual. */
  private rejoinOf(run: UpgradeRun, expected: AccessPointRecord[]): Promise<void> {
    const registry = this.deps.registry();
    const macs = new Set(expected.map((ap) => ap.mac).filter((mac) => !registry.isConnected(mac)));
    if (macs.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const release = () => {
        if (this.waiting) clearTimeout(this.waiting.timer);
        resolve();
      };
      this.waiting = { run, macs, release, timer: setTimeout(release, this.deps.config.resumeWaitMs) };
    });
  }

  /** A cached image is reused only when the file on disk still has the SHA-256 recorded when it was fetched. */
  private async reuseCachedImages(run: UpgradeRun, persisted: PersistedRun): Promise<void> {
    let reused = 0;
    for (const job of run.jobs) {
      const record = persisted.jobs.find((j) => j.fileName === job.fileName);
      if (!record?.sha256 || record.size === null) continue;
      const filePath = run.cache.pathOf(job.fileName);
      const size = fs.statSync(filePath, { throwIfNoEntry: false })?.size;
      // An unreadable file is not reused either.
      const sha256 = size === record.size ? await sha256OfFile(filePath).catch(() => null) : null;
      if (size === record.size && sha256 === record.sha256) {
        job.image = { fileName: job.fileName, path: filePath, size, sha256: record.sha256, elapsedMs: 0, detail: 'reused from the image cache' };
        run.cache.adopt(job.image);
        reused += 1;
      } else {
        // Not the file that was fetched: fetch it again (an SFTP `.part` beside it still resumes by offset).
        fs.rmSync(filePath, { force: true });
      }
    }
    if (reused > 0) this.deps.log.write(syslogText.upgrade(`Upgrade ${run.id}: ${reused} image(s) reused from the image cache, SHA-256 checked`));
  }

  /** An upgrade that cannot be resumed ends Failed, and its APs that were receiving end Aborted. */
  private abandon(latest: UpgradeRecord, why: string): void {
    const reason = `Predownload interrupted: the controller restarted and ${why}`;
    this.deps.stages.move(latest.id, latest.stage, 'Failed', sentence('restartInterrupted', { why }));
    for (const ap of [...this.deps.aps.reader.values()]) {
      if (owedSomething(ap, latest.id)) this.deps.transitions.move(ap.mac, ap.predownloadStatus, 'Aborted', { nextRetryTime: null, lastError: reason });
    }
    this.deps.log.write(syslogText.upgrade(reason, 'warning'));
  }
}
