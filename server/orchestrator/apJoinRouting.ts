import { isCancellable } from '../../lib/upgradeStage';
import type { ApSession } from '../capwap/apSession';
import type { AccessPointRecord, AccessPointRepository } from '../store/accessPointRepository';
import type { ControllerRepository } from '../store/controllerRepository';
import type { UpgradeRepository } from '../store/upgradeRepository';
import type { JoinImageDownload } from './joinImageDownload';
import type { NetworkReload } from './networkReload';
import type { ConsoleNotifier } from './notifier';
import type { PredownloadRunner } from './predownloadRunner';
import type { RunRecovery } from './runRecovery';
import type { UpgradeRun } from './upgradeRun';

export interface ApJoinRoutingDeps {
  aps: AccessPointRepository;
  upgrades: UpgradeRepository;
  controller: ControllerRepository;
  notifier: ConsoleNotifier;
  reload: NetworkReload;
  recovery: RunRecovery;
  runner: PredownloadRunner;
  joinDownloads: JoinImageDownload;
  /** The run the coordinator holds now, if any. */
  run: () => UpgradeRun | null;
}

/**
 * Where an AP that joins goes: back from a reload (the activation's or a download at join's), held
 * by a resumed run that waits for its APs, into the predownload under way, or to the image download
 * at join when none runs.
 */
export class ApJoinRouting {
  constructor(private readonly deps: ApJoinRoutingDeps) {}

  joined(session: ApSession): void {
    const { deps } = this;
    let ap = deps.aps.upsertJoin(session.info);
    deps.notifier.apChanged(ap.mac);
    // Before the reload hears of it: the hosting AP back from its wave may be the last one, and the end sentence names the controller's version.
    this.controllerReported(ap);
    if (ap.predownloadStatus === 'Reloading') {
      const back = deps.joinDownloads.rejoined(ap);
      if (!back) deps.reload.rejoined(ap);
      // Back on the controller's version after a download at join, it is like any AP that joins: a predownload started meanwhile takes it.
      if (back?.predownloadStatus !== 'Joined') return;
      ap = back;
    }
    const run = deps.run();
    // An AP of the run back after a controller restart or a takeover: its row shows what it holds until its delivery
    // restarts. An AP that says nothing of what it holds keeps no image across a restart: it holds none.
    if (run) deps.runner.delivery.joinedHolding(run, ap.mac, session.info.heldImages ?? []);
    // Restart hook: while a resumed run waits for its APs to rejoin, it enrols nobody yet.
    if (deps.recovery.apJoined(ap.mac)) return;
    const latest = deps.upgrades.latest();
    // APs that join during a predownload take part in it, as the profile promises to APs that join later;
    // one that joins before the run enrolled its APs (at Initiate) is enrolled with them.
    if (run?.enrolled && latest?.id === run.id && isCancellable(latest.stage) && ap.upgradeId !== run.id && run.isTarget(ap) && !run.leavesOut(ap)) {
      deps.runner.enrol(run, ap, true);
      deps.runner.checkStage(run);
    } else if (!latest || !isCancellable(latest.stage)) {
      // A predownload under way handles (or leaves out) the APs that join; otherwise the image download at join does.
      deps.joinDownloads.joined(ap, latest);
    }
  }

  /**
   * The EWC's controller is software on the AP that hosts it: it runs the controller image that AP booted,
   * and no other. So its version is the one that AP reports when it joins, and it changes only when that AP
   * joins again running another (after a reload that swapped its controller images), never because an
   * activation started or ended: an AP hosting it that was excluded, not targeted, or failed its predownload
   * or its reload still runs the old one. With no AP hosting the controller in the fleet nobody receives the
   * controller image (it goes to the hosting AP only), so the version stays what it was. An AP that reports
   * no controller version leaves it as it was too.
   */
  private controllerReported(ap: AccessPointRecord): void {
    const version = ap.hostsController ? ap.controllerPrimaryImage : null;
    if (!version || version === this.deps.controller.version()) return;
    this.deps.controller.setVersion(version);
    // The page's Controller Version is part of the upgrade's view.
    this.deps.notifier.upgradeChanged();
  }
}
