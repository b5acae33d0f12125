import type { BundleApproval } from './bundleApproval';
import { englishOf, sentence, type Sentence } from './serverSentences';
import { labelsOf } from './labels';
import type { RolloutStrategy, RolloutView, ScheduledView, WaveView } from './rollout';

/**
 * The stages of the EWC's Software Upgrade bar, and the states outside the line.
 * One state machine for the whole upgrade; per-AP state is in predownloadStatus.ts.
 */
export const UPGRADE_BAR_STAGES = ['Initiate', 'ControllerImageDownload', 'APImageDownload', 'NetworkUpgrade', 'Activate', 'Reload'] as const;
export type UpgradeBarStage = (typeof UPGRADE_BAR_STAGES)[number];

// Superseded: a new predownload replaced the upgrade while it waited at Activate.
export const UPGRADE_STAGES = ['Idle', ...UPGRADE_BAR_STAGES, 'Completed', 'Cancelled', 'Failed', 'Superseded'] as const;
export type UpgradeStage = (typeof UPGRADE_STAGES)[number];

export const UPGRADE_STAGE_LABEL = labelsOf(UPGRADE_STAGES, {
  ControllerImageDownload: 'Controller Image Download',
  APImageDownload: 'AP Image Download',
  NetworkUpgrade: 'Network Upgrade',
});

const RUNNING: UpgradeBarStage[] = ['Initiate', 'ControllerImageDownload', 'APImageDownload', 'NetworkUpgrade'];

export const UPGRADE_STAGE_TRANSITIONS: Record<UpgradeStage, readonly UpgradeStage[]> = {
  Idle: ['Initiate'],
  // A stage may be skipped (no AP hosts the controller, every image already cached) but never revisited.
  Initiate: ['ControllerImageDownload', 'APImageDownload', 'NetworkUpgrade', 'Activate', 'Cancelled', 'Failed'],
  ControllerImageDownload: ['APImageDownload', 'NetworkUpgrade', 'Activate', 'Cancelled', 'Failed'],
  APImageDownload: ['NetworkUpgrade', 'Activate', 'Cancelled', 'Failed'],
  NetworkUpgrade: ['Activate', 'Cancelled', 'Failed'],
  Activate: ['Reload', 'Initiate', 'Superseded'],
  // Abort of a rolling activation ends it Cancelled: no new wave starts.
  Reload: ['Completed', 'Failed', 'Cancelled'],
  Completed: ['Initiate'],
  Cancelled: ['Initiate'],
  Failed: ['Initiate'],
  Superseded: ['Initiate'],
};

export const UPGRADE_TERMINAL: ReadonlySet<UpgradeStage> = new Set(['Idle', 'Completed', 'Cancelled', 'Failed', 'Superseded']);
/** The stages an upgrade ends in: it gets its end time and its APs' final counts. */
export const UPGRADE_ENDS: ReadonlySet<UpgradeStage> = new Set(['Completed', 'Cancelled', 'Failed', 'Superseded']);

/** The coarse state the API reports beside the stage. */
export type UpgradeState = 'idle' | 'running' | 'awaitingActivation' | 'reloading' | 'completed' | 'cancelled' | 'failed' | 'superseded';

export function upgradeStateOf(stage: UpgradeStage): UpgradeState {
  if ((RUNNING as UpgradeStage[]).includes(stage)) return 'running';
  switch (stage) {
    case 'Activate':
      return 'awaitingActivation';
    case 'Reload':
      return 'reloading';
    case 'Completed':
      return 'completed';
    case 'Cancelled':
      return 'cancelled';
    case 'Failed':
      return 'failed';
    case 'Superseded':
      return 'superseded';
    default:
      return 'idle';
  }
}

/** A predownload can be cancelled while its transfers run, not once the network reloads. */
export function isCancellable(stage: UpgradeStage): boolean {
  return (RUNNING as UpgradeStage[]).includes(stage);
}

/**
 * Whether an upgrade holds the fleet, so no new predownload may start: while its transfers run and
 * while the network reloads. A finished upgrade, or one waiting at Activate, may be replaced. The
 * orchestrator, the API (before it saves the profile) and the page's Save & Download all ask this.
 */
export function isUpgradeBusy(stage: UpgradeStage): boolean {
  return isCancellable(stage) || stage === 'Reload';
}

/** What a refused start says, on every surface. */
export function upgradeBusySentence(stage: UpgradeStage): Sentence {
  return sentence('upgradeBusy', { stage: UPGRADE_STAGE_LABEL[stage] });
}

export function upgradeBusyMessage(stage: UpgradeStage): string {
  return englishOf(upgradeBusySentence(stage));
}

export function canTransitionStage(from: UpgradeStage, to: UpgradeStage): boolean {
  return UPGRADE_STAGE_TRANSITIONS[from].includes(to);
}

/** A bundle file the controller is fetching from the image server right now. */
export interface ImageFetchProgress {
  fileName: string;
  /** As the syslog shows it, credentials masked. */
  url: string;
  bytes: number;
  totalBytes: number | null;
}

export interface UpgradeView {
  upgradeId: number | null;
  stage: UpgradeStage;
  state: UpgradeState;
  /** The bar stage reached before a Cancelled or Failed end, so the bar can show where it stopped. */
  lastBarStage: UpgradeBarStage | null;
  targetVersion: string | null;
  controllerVersion: string;
  targetControllerVersion: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  message: string | null;
  /** The message's code and parameters, for the page's language; null for an older row (the page shows `message`). */
  messageSentence: Sentence | null;
  /** How it ended, in the history's words: "Completed" only when every AP of the upgrade runs its version (see upgradeResultText). */
  result: string | null;
  /** The result's code and parameters when it says more than the stage's name. */
  resultSentence: Sentence | null;
  /** Fetches from the image server under way, so a slow WAN transfer is visible before any AP receives a byte. */
  fetches: ImageFetchProgress[];
  /** While a predownload runs: APs receiving now, APs waiting for a slot, and the slot limit. */
  deliveries: { active: number; waiting: number; limit: number } | null;
  /** While the predownload holds an unsigned bundle: its URL and each file (size, SHA-256) waiting for an admin's trust. */
  bundleApproval: BundleApproval | null;
  /** How the activation runs (null before Activate): all at once, or rolling in waves. */
  strategy: RolloutStrategy | null;
  /** The activation's waves, in order; one wave for all at once. */
  waves: WaveView[];
  /** Running, paused (and why), aborted or finished; the window end and error threshold. */
  rollout: RolloutView | null;
  /** Save & Download and Activate set for later, soonest first. */
  scheduled: ScheduledView[];
  /** The controller's time zone (IANA name), to show scheduled times as the controller reads them. */
  controllerTimeZone: string;
}
