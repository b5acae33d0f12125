import type { AccessPointRecord } from '../fleet/accessPoint';
import type { ApRegistry } from '../capwap/apRegistry';
import type { AccessPointRepository } from '../store/accessPointRepository';
import type { EventLog } from '../store/eventLog';
import type { UpgradeRecord } from '../store/upgradeRepository';
import type { UnitOfWork } from '../store/unitOfWork';
import type { ConsoleNotifier } from './notifier';
import type { PredownloadTransitions } from './predownloadTransitions';
import { syslogText } from './syslogText';
import type { UpgradeStages } from './upgradeStages';

export interface NetworkReloadDeps {
  aps: AccessPointRepository;
  log: EventLog;
  store: UnitOfWork;
  transitions: PredownloadTransitions;
  stages: UpgradeStages;
  registry: () => ApRegistry;
  notifier: ConsoleNotifier;
  rejoinTimeoutMs: number;
}

/** One wave under way: the APs still to come back, those that failed, and what to call when none is left. */
interface ReloadingWave {
  pending: Set<string>;
  failed: string[];
  timer: NodeJS.Timeout;
  done: (failed: string[]) => void;
}

/**
 * Reloads one wave of APs: each swaps images and reloads; the wave is done when each has
 * joined again running the new version, or failed to (came back on the old one, or not
 * within the rejoin timeout). The rollout decides which APs form a wave and what comes next.
 */
export class NetworkReload {
  private wave: ReloadingWave | null = null;
  /** APs this process told to reload and not yet back; after a restart it is empty, and a Reloading AP back on its old image is told again. */
  private readonly told = new Set<string>();

  constructor(private readonly deps: NetworkReloadDeps) {}

  get reloading(): boolean {
    return this.wave !== null;
  }

  /** Tells each AP of the wave (still Complete) to reload; `done` gets the MACs that failed. */
  reloadWave(upgrade: UpgradeRecord, macs: readonly string[], done: (failed: string[]) => void): void {
    const { aps, transitions } = this.deps;
    const wave: ReloadingWave = { pending: new Set(), failed: [], done, timer: setTimeout(() => this.deadlinePassed(wave), this.deps.rejoinTimeoutMs) };
    this.wave = wave;
    for (const mac of macs) {
      const ap = aps.get(mac);
      if (ap && transitions.move(mac, 'Complete', 'Reloading', {}, syslogText.apEvent(ap, `Reloading to activate ${ap.predownloadVersion}`))) wave.pending.add(mac);
    }
    // Who is Reloading is in the database before any AP is told, so a restarted console waits for them.
    this.deps.store.flush().then(
      () => {
        // A stop (or the wave's end) in the meantime: nobody is told.
        if (this.wave !== wave) return;
        for (const mac of wave.pending) this.tell(mac);
      },
      (error: Error) => {
        // Not told, they do not reload: the rejoin deadline fails them, and this line says why.
        this.deps.log.write(syslogText.upgrade(`Activate: the list of reloading APs could not be written (${error.message}); no AP of this wave was told to reload`, 'error'));
      },
    );
    this.checkDone(wave);
  }

  /**
   * After a restart: waits for the APs of the wave that was reloading when the controller stopped,
   * with a fresh rejoin timeout. An AP still recorded Complete was never told (who reloads is written
   * before anyone is told): it is marked and told now, or when it rejoins.
   */
  adoptWave(macs: readonly string[], done: (failed: string[]) => void): void {
    const wave: ReloadingWave = { pending: new Set(), failed: [], done, timer: setTimeout(() => this.deadlinePassed(wave), this.deps.rejoinTimeoutMs) };
    this.wave = wave;
    for (const mac of macs) {
      const ap = this.deps.aps.get(mac);
      if (ap?.predownloadStatus === 'Complete' && this.deps.transitions.move(mac, 'Complete', 'Reloading', {}, syslogText.apEvent(ap, `Reloading to activate ${ap.predownloadVersion}`))) {
        wave.pending.add(mac);
        // As in a wave's start: told once it is written that it reloads.
        void this.deps.store.flush().then(
          () => {
            if (this.wave === wave && wave.pending.has(mac)) this.tell(mac);
          },
          () => undefined,
        );
      } else if (ap?.predownloadStatus === 'Reloading') wave.pending.add(mac);
      else if (ap?.predownloadStatus === 'Failed') wave.failed.push(mac);
    }
    this.checkDone(wave);
  }

  private tell(mac: string): void {
    // Told twice, an AP swaps its images twice and boots the version it left: an AP that joined while its
    // wave was being written is told by its join and would be told again by the wave.
    if (this.told.has(mac)) return;
    const session = this.deps.registry().get(mac);
    // An AP away right now (rejoining a restarted console) is told when it joins again, within the rejoin deadline.
    if (!session) return;
    this.told.add(mac);
    void session
      .reload()
      .catch((error: Error) => ({ ok: false, message: error.message }))
      .then((reply) => {
        if (!reply.ok) this.fail(mac, reply.message);
      });
  }

  /** An AP that was reloading joined again: running the new version, or not. */
  rejoined(ap: AccessPointRecord): void {
    if (ap.primaryImage !== ap.predownloadVersion && ap.backupImage === ap.predownloadVersion && !this.told.has(ap.mac)) {
      // Told once who reloads is in the database, as the wave's other APs are: its join may come before that write.
      void this.deps.store.flush().then(
        () => {
          if (this.deps.aps.get(ap.mac)?.predownloadStatus === 'Reloading') this.tell(ap.mac);
        },
        () => undefined,
      );
      return;
    }
    if (ap.primaryImage !== ap.predownloadVersion) {
      this.fail(ap.mac, `AP joined running ${ap.primaryImage}, expected ${ap.predownloadVersion}`);
      return;
    }
    this.deps.transitions.move(ap.mac, 'Reloading', 'Joined', {}, syslogText.apEvent(ap, `Joined running ${ap.primaryImage}`));
    this.settle(ap.mac);
  }

  dispose(): void {
    if (this.wave) clearTimeout(this.wave.timer);
    this.wave = null;
  }

  private fail(mac: string, reason: string): void {
    this.told.delete(mac);
    const ap = this.deps.aps.get(mac);
    if (!ap) return;
    if (!this.deps.transitions.move(mac, 'Reloading', 'Failed', { lastError: reason }, syslogText.apEvent(ap, `Reload failed: ${reason}`, 'error'))) return;
    this.wave?.failed.push(mac);
    this.settle(mac);
  }

  private settle(mac: string): void {
    // Back (or failed): a later activation tells it again.
    this.told.delete(mac);
    const wave = this.wave;
    if (!wave || !wave.pending.delete(mac)) return;
    // The page's view of the wave (who came back) changes with each AP, not only at the wave's end.
    this.deps.notifier.upgradeChanged();
    this.checkDone(wave);
  }

  private deadlinePassed(wave: ReloadingWave): void {
    for (const mac of [...wave.pending]) this.fail(mac, `AP did not join again within ${Math.round(this.deps.rejoinTimeoutMs / 1000)} s`);
  }

  private checkDone(wave: ReloadingWave): void {
    if (this.wave !== wave || wave.pending.size > 0) return;
    clearTimeout(wave.timer);
    this.wave = null;
    wave.done(wave.failed);
  }
}
