import { activationWaves, waveBreachesThreshold } from '../../lib/rolloutWaves';
import { networkCompletedSentence } from '../../lib/upgradeOutcome';
import { englishOf, sentence, type Sentence } from '../../lib/serverSentences';
import type { ActivationOptions, RolloutStrategy, RolloutView, WaveMember, WaveView } from '../../lib/rollout';
import type { AccessPointRecord } from '../fleet/accessPoint';
import type { AccessPointRepository } from '../store/accessPointRepository';
import type { ControllerRepository } from '../store/controllerRepository';
import type { EventLog } from '../store/eventLog';
import type { RolloutRecord, RolloutRepository, WaveRecord } from '../store/rolloutRepository';
import type { UpgradeRecord, UpgradeRepository } from '../store/upgradeRepository';
import type { NetworkReload } from './networkReload';
import type { ConsoleNotifier } from './notifier';
import { syslogText } from './syslogText';
import { SaidError } from './saidError';
import type { UpgradeStages } from './upgradeStages';

export interface RolloutDeps {
  aps: AccessPointRepository;
  upgrades: UpgradeRepository;
  controller: ControllerRepository;
  rollouts: RolloutRepository;
  log: EventLog;
  stages: UpgradeStages;
  reload: NetworkReload;
  notifier: ConsoleNotifier;
  /** Told once the activation ended, whichever way: APs that joined during it get their image at join then. */
  activationEnded: () => void;
}

/** The APs an activation of an upgrade reloads: their predownload of it completed and they are not excluded. */
export function activationCandidates(fleet: Iterable<AccessPointRecord>, upgradeId: number): AccessPointRecord[] {
  return [...fleet].filter((ap) => ap.upgradeId === upgradeId && ap.predownloadStatus === 'Complete' && !ap.activationExcluded);
}

/** A rollout action that its state does not allow (the API answers 409). */
export class RolloutConflictError extends SaidError {}

/**
 * Drives the activation wave by wave: all at once is one wave; rolling is the planner's waves,
 * the controller's AP last. After each wave it checks the error threshold and the window end,
 * and pauses instead of starting the next one. Every change is written to the rollout tables.
 */
export class Rollout {
  constructor(private readonly deps: RolloutDeps) {}

  /** The APs an activation of this upgrade would reload: completed, not excluded. */
  candidates(upgrade: UpgradeRecord) {
    return activationCandidates(this.deps.aps.reader.values(), upgrade.id);
  }

  /** Plans and stores the waves of an upgrade already at Reload, then starts the first wave. */
  start(upgrade: UpgradeRecord, options: ActivationOptions, startedBy: string): void {
    const aps = this.candidates(upgrade);
    const waves = activationWaves(aps, options);
    this.deps.rollouts.create(upgrade.id, options, waves, startedBy);
    const excluded = [...this.deps.aps.reader.values()].filter((ap) => ap.upgradeId === upgrade.id && ap.predownloadStatus === 'Complete' && ap.activationExcluded);
    for (const ap of excluded) this.deps.log.write(syslogText.apEvent(ap, 'Excluded from activation: keeps its predownloaded image as backup', 'warning'));
    if (options.strategy === 'rolling') {
      this.deps.log.write(
        syslogText.upgrade(
          `Rolling activation: ${aps.length} AP(s) in ${waves.length} wave(s), error threshold ${options.errorThresholdPercent} %${options.windowEnd ? `, window ends ${options.windowEnd}` : ''}`,
        ),
      );
    }
    this.next(upgrade.id);
  }

  /**
   * After a restart in the middle of an activation: waits for the wave that was reloading, then
   * goes on as before (the next wave, or the pause it was in). Every fact comes from the rollout tables.
   */
  continueAfterRestart(): void {
    const upgrade = this.deps.upgrades.latest();
    const rollout = upgrade?.stage === 'Reload' ? this.deps.rollouts.get(upgrade.id) : null;
    if (!upgrade || !rollout) return;
    const waves = this.deps.rollouts.waves(upgrade.id);
    const current = waves[rollout.currentWave];
    this.deps.log.write(syslogText.upgrade(`Upgrade ${upgrade.id}: activation continues after a restart (${rollout.state}, wave ${rollout.currentWave + 1} of ${waves.length})`, 'warning'));
    if (current?.state === 'reloading') {
      this.deps.reload.adoptWave(current.aps, (failed) => this.waveDone(upgrade.id, current.index, waves.length, current.aps.length, failed));
    } else if (rollout.state === 'aborted') {
      this.finish(upgrade.id);
    } else if (rollout.state === 'running') {
      this.next(upgrade.id);
    }
  }

  /** Stops starting waves after the one under way. */
  pause(upgradeId: number, reason: string | Sentence): void {
    const rollout = this.active(upgradeId);
    if (rollout.state !== 'running') throw new RolloutConflictError(sentence('activationNotRunning'));
    this.pauseWith(rollout, reason);
  }

  /** Continues with the next wave; a window that ended is lifted (or replaced by the one given). */
  resume(upgradeId: number, windowEnd: string | null = null): void {
    const rollout = this.active(upgradeId);
    if (rollout.state !== 'paused') throw new RolloutConflictError(sentence('activationNotPaused'));
    this.save({ ...rollout, state: 'running', pauseReason: null, pauseSentence: null, windowEnd });
    this.deps.log.write(syslogText.upgrade(`Upgrade ${upgradeId}: activation resumed`));
    if (!this.deps.reload.reloading) this.next(upgradeId);
  }

  /** No new wave starts; APs of a wave under way still finish their reload. */
  abort(upgradeId: number): void {
    const rollout = this.active(upgradeId);
    this.save({ ...rollout, state: 'aborted' });
    this.deps.log.write(syslogText.upgrade(`Upgrade ${upgradeId}: activation aborted by the administrator; no new wave starts`, 'warning'));
    if (!this.deps.reload.reloading) this.finish(upgradeId);
  }

  view(upgradeId: number | null): { rollout: RolloutView | null; strategy: RolloutStrategy | null; waves: WaveView[] } {
    const rollout = upgradeId === null ? null : this.deps.rollouts.get(upgradeId);
    if (!rollout) return { rollout: null, strategy: null, waves: [] };
    const waves = this.deps.rollouts.waves(rollout.upgradeId);
    const focus = Math.max(0, Math.min(rollout.currentWave, waves.length - 1));
    return {
      strategy: rollout.strategy,
      rollout: {
        state: rollout.state,
        pauseReason: rollout.pauseReason,
        pauseSentence: rollout.pauseSentence,
        windowEnd: rollout.windowEnd,
        errorThresholdPercent: rollout.errorThresholdPercent,
        wavePercent: rollout.wavePercent,
        waveSize: rollout.waveSize,
      },
      waves: waves.map((wave) => this.waveView(wave, wave.index === focus)),
    };
  }

  private waveView(wave: WaveRecord, withMembers: boolean): WaveView {
    const members: WaveMember[] = wave.aps.map((mac) => {
      const ap = this.deps.aps.get(mac);
      return { mac, name: ap?.name ?? mac, status: ap?.predownloadStatus ?? 'None' };
    });
    const count = (status: string) => members.filter((member) => member.status === status).length;
    return {
      index: wave.index,
      state: wave.state,
      aps: wave.aps,
      startedAt: wave.startedAt,
      finishedAt: wave.finishedAt,
      failed: wave.state === 'done' ? wave.failed : count('Failed'),
      joined: count('Joined'),
      reloading: count('Reloading'),
      members: withMembers ? members : null,
    };
  }

  private active(upgradeId: number): RolloutRecord {
    const rollout = this.deps.rollouts.get(upgradeId);
    if (!rollout || rollout.state === 'finished' || rollout.state === 'aborted') throw new RolloutConflictError(sentence('noActivationInProgress'));
    return rollout;
  }

  private save(rollout: RolloutRecord): void {
    this.deps.rollouts.update(rollout);
    this.deps.notifier.upgradeChanged();
  }

  /** The reason is the admin's own words, or one of the server's sentences (kept beside its English for the page). */
  private pauseWith(rollout: RolloutRecord, said: string | Sentence): void {
    const reason = typeof said === 'string' ? said : englishOf(said);
    this.save({ ...rollout, state: 'paused', pauseReason: reason, pauseSentence: typeof said === 'string' ? null : said });
    this.deps.log.write(syslogText.upgrade(`Upgrade ${rollout.upgradeId}: activation paused: ${reason}. Resume to continue with the next wave, or Abort.`, 'warning'));
  }

  /** Starts the next wave, or ends the activation when none is left. */
  private next(upgradeId: number): void {
    const rollout = this.deps.rollouts.get(upgradeId);
    const upgrade = this.deps.upgrades.get(upgradeId);
    if (!rollout || !upgrade || rollout.state !== 'running' || upgrade.stage !== 'Reload') return;
    const waves = this.deps.rollouts.waves(upgradeId);
    const index = rollout.currentWave + 1;
    if (index >= waves.length) {
      this.finish(upgradeId);
      return;
    }
    if (rollout.windowEnd && Date.now() >= Date.parse(rollout.windowEnd)) {
      this.pauseWith(rollout, sentence('pausedWindowEnded', { windowEnd: rollout.windowEnd, wave: index + 1, waves: waves.length }));
      return;
    }
    this.deps.rollouts.startWave(upgradeId, index);
    this.save({ ...rollout, currentWave: index });
    if (waves.length > 1) this.deps.log.write(syslogText.upgrade(`Upgrade ${upgradeId}: wave ${index + 1} of ${waves.length} reloading ${waves[index].aps.length} AP(s)`));
    this.deps.reload.reloadWave(upgrade, waves[index].aps, (failed) => this.waveDone(upgradeId, index, waves.length, waves[index].aps.length, failed));
  }

  private waveDone(upgradeId: number, index: number, total: number, size: number, failed: string[]): void {
    this.deps.rollouts.finishWave(upgradeId, index, failed.length);
    const rollout = this.deps.rollouts.get(upgradeId);
    if (!rollout) return;
    if (total > 1) {
      const line = `Upgrade ${upgradeId}: wave ${index + 1} of ${total} done: ${size - failed.length} AP(s) back on the new version, ${failed.length} failed`;
      this.deps.log.write(syslogText.upgrade(line, failed.length > 0 ? 'warning' : 'notice'));
    }
    this.deps.notifier.upgradeChanged();
    const more = index + 1 < total;
    if (rollout.state === 'running' && more && waveBreachesThreshold(failed.length, size, rollout.errorThresholdPercent)) {
      this.pauseWith(rollout, sentence('pausedErrorThreshold', { failed: failed.length, size, wave: index + 1, threshold: rollout.errorThresholdPercent }));
      return;
    }
    if (rollout.state === 'aborted' || !more) this.finish(upgradeId);
    else if (rollout.state === 'running') this.next(upgradeId);
  }

  /** Ends the Reload stage: Completed, Failed (some AP failed), or Cancelled (aborted before the last wave). */
  private finish(upgradeId: number): void {
    const rollout = this.deps.rollouts.get(upgradeId);
    const upgrade = this.deps.upgrades.get(upgradeId);
    if (!rollout || !upgrade || upgrade.stage !== 'Reload') return;
    const { reader } = this.deps.aps;
    const failed = reader.countInUpgrade(upgradeId, 'Failed');
    this.deps.rollouts.update({ ...rollout, state: rollout.state === 'aborted' ? 'aborted' : 'finished', finishedAt: new Date().toISOString() });
    if (rollout.state === 'aborted') {
      // Counted by what the APs run, not by their rows: a predownload of the version they ran already leaves them running it, reloaded or not.
      const counts = this.deps.stages.countAps(upgradeId);
      const waiting = counts.notRunningTarget.filter((group) => group.status === 'Complete').reduce((sum, group) => sum + group.count, 0);
      const joined = counts.runningTarget;
      this.deps.stages.move(upgradeId, 'Reload', 'Cancelled', sentence('activationAborted', { joined, version: String(upgrade.targetVersion), failed, waiting }));
    } else if (failed > 0) {
      this.deps.stages.move(upgradeId, 'Reload', 'Failed', sentence('reloadFailedAps', { failed, version: String(upgrade.targetVersion) }));
    } else {
      // Said only of the APs that run it: an image type the release lacked still runs what it ran.
      const outcome = networkCompletedSentence(this.deps.stages.countAps(upgradeId), upgrade.targetVersion, this.deps.controller.version());
      this.deps.stages.move(upgradeId, 'Reload', 'Completed', outcome);
    }
    this.deps.activationEnded();
  }
}
