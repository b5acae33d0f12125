import type { AccessPointRecord } from '../fleet/accessPoint';
import type { ApRegistry } from '../capwap/apRegistry';
import type { AccessPointRepository } from '../store/accessPointRepository';
import type { ControllerRepository } from '../store/controllerRepository';
import type { EventLog } from '../store/eventLog';
import type { UpgradeRecord, UpgradeRepository } from '../store/upgradeRepository';
import type { PredownloadTransitions } from './predownloadTransitions';
import { syslogText } from './syslogText';
import type { UpgradeStages } from './upgradeStages';

export interface NetworkReloadDeps {
  aps: AccessPointRepository;
  upgrades: UpgradeRepository;
  controller: ControllerRepository;
  log: EventLog;
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

  constructor(private readonly deps: NetworkReloadDeps) {}

  /** Moves the upgrade (already at Reload) on: tells each completed AP to reload. One pass over the fleet. */
  start(upgrade: UpgradeRecord): void {
    const { aps, controller, transitions } = this.deps;
    const reloading = [...aps.reader.values()].filter((ap) => ap.upgradeId === upgrade.id && ap.predownloadStatus === 'Complete');
    if (!reloading.some((ap) => ap.hostsController) && upgrade.targetControllerVersion) controller.setVersion(upgrade.targetControllerVersion);
    for (const ap of reloading) {
      if (!transitions.move(ap.mac, 'Complete', 'Reloading', {}, syslogText.apEvent(ap, `Reloading to activate ${ap.predownloadVersion}`))) continue;
      const session = this.deps.registry().get(ap.mac);
      void (session ? session.reload() : Promise.resolve({ ok: false, message: 'AP is not connected' }))
        .catch((error: Error) => ({ ok: false, message: error.message }))
        .then((reply) => {
          if (!reply.ok) this.fail(ap.mac, reply.message);
        });
    }
    this.rejoinTimer = setTimeout(() => this.deadlinePassed(upgrade.id), this.deps.rejoinTimeoutMs);
    this.checkComplete();
  }

  /** An AP that was reloading joined again: running the new version, or not. */
  rejoined(ap: AccessPointRecord): void {
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
