import { describe, expect, it } from 'vitest';
import type { ApImageSummary } from '@/lib/apImage';
import type { UpgradeView } from '@/lib/upgradeStage';
import { addProgress, deliveryRates, EMPTY_HISTORY, MAX_POINTS, type ProgressHistory } from './progressHistory';

const summary = (complete: number) => ({ totalAps: 6000, completedPredownloading: complete }) as ApImageSummary;
const upgrade = (upgradeId: number, stage: UpgradeView['stage'] = 'NetworkUpgrade', joined: number[] = []) =>
  ({ upgradeId, stage, waves: joined.map((n, index) => ({ index, joined: n, aps: [], failed: 0 })) }) as unknown as UpgradeView;
const sample = (at: number, deliveredBytes: number) => ({ at, deliveredBytes, fetchedBytes: 0 });

describe('the delivery chart history', () => {
  it('gives the rate of bytes acknowledged over at least a second, none before a second has passed', () => {
    let history: ProgressHistory = EMPTY_HISTORY;
    // Batches every 250 ms; 1 MB acknowledged per batch is 4 MB/s.
    for (let i = 0; i <= 8; i += 1) history = addProgress(history, sample(10_000 + i * 250, i * 1_000_000), summary(i), upgrade(3));
    expect(deliveryRates(history.points)).toEqual([null, null, null, null, 4e6, 4e6, 4e6, 4e6, 4e6]);
    expect(history.points.map((p) => p.complete)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('counts on across a console restart, whose byte counters start from 0 again: the rate never goes negative and the totals keep what was delivered', () => {
    let history: ProgressHistory = EMPTY_HISTORY;
    // 1 MB a batch up to 3 MB; the console restarts; then it counts 0, 0.5, 1, 1.5, 2 MB again.
    for (let i = 0; i <= 3; i += 1) history = addProgress(history, { at: 10_000 + i * 250, deliveredBytes: i * 1e6, fetchedBytes: 2e6 }, summary(i), upgrade(3));
    for (let i = 0; i <= 4; i += 1) history = addProgress(history, { at: 14_000 + i * 250, deliveredBytes: i * 5e5, fetchedBytes: i === 0 ? 0 : 1e6 }, summary(3), upgrade(3));
    expect(history.points.map((p) => p.deliveredBytes)).toEqual([0, 1e6, 2e6, 3e6, 3e6, 3.5e6, 4e6, 4.5e6, 5e6]);
    expect(history.points.map((p) => p.fetchedBytes)).toEqual([2e6, 2e6, 2e6, 2e6, 2e6, 3e6, 3e6, 3e6, 3e6]);
    for (const rate of deliveryRates(history.points)) if (rate !== null) expect(rate).toBeGreaterThanOrEqual(0);
    expect(deliveryRates(history.points).at(-1)).toBe(2e6);
    // A new upgrade starts from its own counts.
    history = addProgress(history, { at: 20_000, deliveredBytes: 7e6, fetchedBytes: 0 }, summary(0), upgrade(4));
    expect(history.points.map((p) => p.deliveredBytes)).toEqual([7e6]);
  });

  it('keeps at most MAX_POINTS points for a run of any length, its first and last ones included', () => {
    let history: ProgressHistory = EMPTY_HISTORY;
    for (let i = 0; i < 10_000; i += 1) history = addProgress(history, sample(i * 250, i), summary(0), upgrade(1));
    expect(history.points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(history.points[0]!.at).toBe(0);
    expect(history.points.at(-1)!.at).toBe(9_999 * 250);
  });

  it("starts again for a new upgrade, records nothing at rest, and carries each wave's joined APs", () => {
    let history = addProgress(EMPTY_HISTORY, sample(1000, 5), summary(1), upgrade(1));
    history = addProgress(history, sample(2000, 9), summary(2), upgrade(2, 'Reload', [3, 1]));
    expect(history).toMatchObject({ upgradeId: 2, phase: 'activation', points: [{ at: 2000, deliveredBytes: 9, fetchedBytes: 0, complete: 2, totalAps: 6000, joinedPerWave: [3, 1] }], ended: false });
    // A batch no newer than the last point (a snapshot after a reconnect) adds nothing.
    expect(addProgress(history, sample(2000, 9), summary(2), upgrade(2, 'Reload'))).toBe(history);
    // An upgrade that had ended before the page saw it run has nothing to draw.
    const seenEnded = addProgress(history, sample(3000, 9), summary(2), upgrade(3, 'Completed', [4]));
    expect(seenEnded).toMatchObject({ upgradeId: 3, phase: 'predownload', points: [], ended: true });
    expect(addProgress(seenEnded, sample(4000, 9), summary(2), upgrade(3, 'Completed', [4]))).toBe(seenEnded);
  });

  it('ends on the figures of the batch that brought the end (the last AP joined again), then records nothing more', () => {
    let history = addProgress(EMPTY_HISTORY, sample(1000, 0), summary(6000), upgrade(5, 'Reload', [0, 0]));
    history = addProgress(history, sample(2000, 0), summary(6000), upgrade(5, 'Reload', [3, 0]));
    // The last wave's last AP joined again, and the activation completed, between two batches.
    history = addProgress(history, sample(3000, 0), summary(6000), upgrade(5, 'Completed', [3, 1]));
    expect(history).toMatchObject({ upgradeId: 5, phase: 'activation', ended: true });
    expect(history.points.map((p) => p.joinedPerWave)).toEqual([
      [0, 0],
      [3, 0],
      [3, 1],
    ]);
    expect(addProgress(history, sample(4000, 0), summary(6000), upgrade(5, 'Completed', [3, 1]))).toBe(history);
    // A predownload that ends (cancelled) ends on its last count of APs completed, in its own phase.
    let predownload = addProgress(EMPTY_HISTORY, sample(1000, 5), summary(1), upgrade(6, 'NetworkUpgrade'));
    predownload = addProgress(predownload, sample(2000, 9), summary(2), upgrade(6, 'Cancelled'));
    expect(predownload).toMatchObject({ phase: 'predownload', ended: true });
    expect(predownload.points.map((p) => p.complete)).toEqual([1, 2]);
  });

  it('gives the activation a time axis of its own, however long the upgrade waited at Activate', () => {
    let history = addProgress(EMPTY_HISTORY, sample(1000, 5), summary(1), upgrade(4, 'NetworkUpgrade'));
    history = addProgress(history, sample(2000, 9), summary(6000), upgrade(4, 'Activate'));
    expect(history.points.map((p) => p.at)).toEqual([1000, 2000]);
    history = addProgress(history, sample(3_600_000, 9), summary(5990), upgrade(4, 'Reload', [10]));
    expect(history).toMatchObject({ phase: 'activation', points: [{ at: 3_600_000, joinedPerWave: [10] }] });
  });
});
