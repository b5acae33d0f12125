import type { AccessPointRecord } from '../fleet/accessPoint';
import type { ApRegistry } from '../capwap/apRegistry';
import type { AccessPointRepository } from '../store/accessPointRepository';
import type { ControllerRepository } from '../store/controllerRepository';
import type { EventLog } from '../store/eventLog';
import type { UpgradeRecord, UpgradeRepository } from '../store/upgradeRepository';
import type { WriteBehind } from '../store/writeBehind';
import type { PredownloadTransitions } from './predownloadTransitions';
import { syslogText } from './syslogText';
import type { UpgradeStages } from './upgradeStages';

export interface NetworkReloadDeps {
  aps: AccessPointRepository;
  upgrades: UpgradeRepository;
  controller: ControllerRepository;
  log: EventLog;
  store: WriteBehind;
  transitions: PredownloadTransitions;
  stages: UpgradeStages;
  registry: () => ApRegistry;
  rejoinTimeoutMs: number;
}

/**
 * Activate and Reload: every AP that completed its predownload swaps images and reloads;
 * the stage ends when each has joined again running the new version, or failed to.
 */
export class NetworkReload {
  private rejoinTimer: NodeJS.Timeout | null = null;
  /** APs this process told to reload; after a restart it is empty, and a Reloading AP back on its old image is told again (#11). */
  private readonly told = new Set<string>();

  constructor(private readonly deps: NetworkReloadDeps) {}

  /** Moves the upgrade (already at Reload) on: tells each completed AP to reload. One pass over the fleet. */
  start(upgrade: UpgradeRecord): void {
    const { aps, controller, transitions } = this.deps;
    const reloading = [...aps.reader.values()].filter((ap) => ap.upgradeId === upgrade.id && ap.predownloadStatus === 'Complete');
    if (!reloading.some((ap) => ap.hostsController) && upgrade.targetControllerVersion) controller.setVersion(upgrade.targetControllerVersion);
    const marked = reloading.filter((ap) => transitions.move(ap.mac, 'Complete', 'Reloading', {}, syslogText.apEvent(ap, `Reloading to activate ${ap.predownloadVersion}`)));
    // Restart hook (#11): who is Reloading is in the database before any AP is told, so a restarted console waits for them.
    this.deps.store.flush();
    for (const ap of marked) this.tell(ap.mac);
    this.rejoinTimer = setTimeout(() => this.deadlinePassed(upgrade.id), this.deps.rejoinTimeoutMs);
    this.checkComplete();
  }

  /**
   * After a restart during Reload (#11): APs still recorded Complete were maybe told, maybe not; they are
   * waited for with the Reloading ones. Each rejoins the new process: on the new version it is Joined,
   * on the old one with the new one staged it is told (again) to reload. The deadline starts again.
   */
  resume(upgrade: UpgradeRecord): void {
    for (const ap of [...this.deps.aps.reader.values()]) {
      if (ap.upgradeId === upgrade.id && ap.predownloadStatus === 'Complete') {
        this.deps.transitions.move(ap.mac, 'Complete', 'Reloading', {}, syslogText.apEvent(ap, `Reloading to activate ${ap.predownloadVersion}`));
      }
    }
    this.rejoinTimer = setTimeout(() => this.deadlinePassed(upgrade.id), this.deps.rejoinTimeoutMs);
    this.checkComplete();
  }

  private tell(mac: string): void {
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
      this.tell(ap.mac);
      return;
    }
    if (ap.primaryImage !== ap.predownloadVersion) {
      this.fail(ap.mac, `AP joined running ${ap.primaryImage}, expected ${ap.predownloadVersion}`);
      return;
    }
    this.deps.transitions.move(ap.mac, 'Reloading', 'Joined', {}, syslogText.apEvent(ap, `Joined running ${ap.primaryImage}`));
    const latest = this.deps.upgrades.latest();
    if (ap.hostsController && latest?.targetControllerVersion) this.deps.controller.setVersion(latest.targetControllerVersion);
    this.checkComplete();
  }

  dispose(): void {
    if (this.rejoinTimer) clearTimeout(this.rejoinTimer);
    this.rejoinTimer = null;
  }

  private fail(mac: string, reason: string): void {
    const ap = this.deps.aps.get(mac);
    if (!ap) return;
    this.deps.transitions.move(mac, 'Reloading', 'Failed', { lastError: reason }, syslogText.apEvent(ap, `Reload failed: ${reason}`, 'error'));
    this.checkComplete();
  }

  private deadlinePassed(upgradeId: number): void {
    this.rejoinTimer = null;
    for (const ap of this.deps.aps.reader.values()) {
      if (ap.upgradeId === upgradeId && ap.predownloadStatus === 'Reloading') {
        this.fail(ap.mac, `AP did not join again within ${Math.round(this.deps.rejoinTimeoutMs / 1000)} s`);
      }
    }
  }

  /** O(1): the fleet's counters say whether any AP of this upgrade is still reloading. */
  private checkComplete(): void {
    const latest = this.deps.upgrades.latest();
    if (!latest || latest.stage !== 'Reload') return;
    const { reader } = this.deps.aps;
    if (reader.countInUpgrade(latest.id, 'Reloading') > 0) return;
    this.dispose();
    const failed = reader.countInUpgrade(latest.id, 'Failed');
    if (failed > 0) {
      this.deps.stages.move(latest.id, 'Reload', 'Failed', `${failed} AP(s) did not come back running ${latest.targetVersion}`);
    } else {
      this.deps.stages.move(latest.id, 'Reload', 'Completed', `Network running ${latest.targetVersion}; controller running ${this.deps.controller.version()}`);
    }
  }
}
