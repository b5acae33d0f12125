import type { ApImageSummary } from '@/lib/apImage';
import type { TransferSample } from '@/lib/socketEvents';
import { UPGRADE_BAR_STAGES, type UpgradeView } from '@/lib/upgradeStage';

/** One moment of an upgrade, as the chart draws it. */
export interface ProgressPoint {
  /** The console's clock, epoch ms. */
  at: number;
  deliveredBytes: number;
  fetchedBytes: number;
  /** APs that completed their predownload. */
  complete: number;
  totalAps: number;
  /** During an activation: APs joined again, per wave (index 0 is wave 1). */
  joinedPerWave: number[];
}

/** The predownload (through the wait at Activate), or the activation (Reload): each has its own time axis. */
export type ProgressPhase = 'predownload' | 'activation';

export interface ProgressHistory {
  upgradeId: number | null;
  phase: ProgressPhase;
  points: ProgressPoint[];
  /** The upgrade ended: the batch that said so gave the last point, and nothing more is recorded. */
  ended: boolean;
  /** The console's byte counters as the last batch gave them (they count from the console's start). */
  counted: ByteCounts;
  /** Bytes counted by a console that has since restarted (or by a node another one took over from), added to what it counts now. */
  carried: ByteCounts;
}

type ByteCounts = Pick<ProgressPoint, 'deliveredBytes' | 'fetchedBytes'>;
const NO_BYTES: ByteCounts = { deliveredBytes: 0, fetchedBytes: 0 };

export const EMPTY_HISTORY: ProgressHistory = { upgradeId: null, phase: 'predownload', points: [], ended: false, counted: NO_BYTES, carried: NO_BYTES };

/**
 * The bytes counted before this batch that the console's counters no longer hold. They count from the
 * console's start, so a restarted console (or a node that took the run over) counts from 0 again while
 * this page keeps its points: without this, the chart drew the drop as a negative delivery rate
 * (`delivering -0.58 MB/s`). What was delivered before still was.
 */
function carriedBytes(history: ProgressHistory, sample: TransferSample, fresh: boolean): ByteCounts {
  if (fresh) return NO_BYTES;
  const { counted, carried } = history;
  if (sample.deliveredBytes >= counted.deliveredBytes && sample.fetchedBytes >= counted.fetchedBytes) return carried;
  return { deliveredBytes: carried.deliveredBytes + counted.deliveredBytes, fetchedBytes: carried.fetchedBytes + counted.fetchedBytes };
}

/**
 * How many points a chart keeps, whatever the run's length: past it, every other point goes (the whole
 * run stays drawn at half the resolution). At four batches a second that is two minutes at full detail.
 */
export const MAX_POINTS = 480;
// The rate is averaged over at least this span: single 250 ms batches jitter with the event loop.
const RATE_WINDOW_MS = 1000;

const ACTIVE = new Set<string>(UPGRADE_BAR_STAGES);

/**
 * Adds what a batch said. A new upgrade, or its activation, starts a new history (hours may pass at
 * Activate before someone presses it: one time axis would squash the predownload to nothing). The batch
 * that brings the end is recorded, in the phase it ends: it carries the last figures (the last AP joined
 * again, the last one completed), which the chart would otherwise never reach. Nothing is recorded after
 * that, nor while no upgrade runs.
 */
export function addProgress(history: ProgressHistory, sample: TransferSample, summary: ApImageSummary, upgrade: UpgradeView): ProgressHistory {
  const running = ACTIVE.has(upgrade.stage);
  const phase: ProgressPhase = upgrade.stage === 'Reload' ? 'activation' : 'predownload';
  const fresh = upgrade.upgradeId !== history.upgradeId || (running && phase !== history.phase);
  if (!running) {
    // An upgrade this page did not see run adds nothing; nor does one whose end is recorded.
    if (fresh) return { ...EMPTY_HISTORY, upgradeId: upgrade.upgradeId, phase, ended: true };
    if (history.ended || history.points.length === 0) return history;
  }
  const points = fresh ? [] : history.points;
  const last = points.at(-1);
  if (last && sample.at <= last.at) return history;
  const carried = carriedBytes(history, sample, fresh);
  const point: ProgressPoint = {
    at: sample.at,
    deliveredBytes: carried.deliveredBytes + sample.deliveredBytes,
    fetchedBytes: carried.fetchedBytes + sample.fetchedBytes,
    complete: summary.completedPredownloading,
    totalAps: summary.totalAps,
    joinedPerWave: upgrade.waves.map((wave) => wave.joined),
  };
  const next = [...points, point];
  const kept = next.length > MAX_POINTS ? next.filter((_, i) => i % 2 === 0 || i === next.length - 1) : next;
  const counted = { deliveredBytes: sample.deliveredBytes, fetchedBytes: sample.fetchedBytes };
  return { upgradeId: upgrade.upgradeId, phase: running ? phase : history.phase, points: kept, ended: !running, counted, carried };
}

/** Bytes a second delivered to APs at each point, over the last second or more; null where no earlier point is that far back. */
export function deliveryRates(points: readonly ProgressPoint[]): (number | null)[] {
  let from = 0;
  return points.map((point) => {
    while (from + 1 < points.length && points[from + 1]!.at <= point.at - RATE_WINDOW_MS) from += 1;
    const earlier = points[from]!;
    const span = point.at - earlier.at;
    return span >= RATE_WINDOW_MS ? ((point.deliveredBytes - earlier.deliveredBytes) * 1000) / span : null;
  });
}
