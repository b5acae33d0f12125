import { describe, expect, it } from 'vitest';
import { KEEP_STEP, TransferProgress } from './transferProgress';

const MAC = '70f0.96a1.4e20';

describe('what an AP that joined again holds', () => {
  it('stands still, waiting, until its delivery restarts, which goes on from there', () => {
    const progress = new TransferProgress();
    progress.heldAtJoin(MAC, 'ap', 430, 1000);
    expect(progress.figures(MAC, 'ap')).toEqual({ percent: 43, etaSeconds: null, startedAt: null, waitsToResume: true, lastAcknowledged: false });

    // Offered again: until the AP's first count it still holds what it said.
    progress.start(MAC, 'ap', 1000);
    expect(progress.figures(MAC, 'ap')).toMatchObject({ percent: 43, waitsToResume: false });
    progress.update(MAC, 'ap', 430);
    progress.update(MAC, 'ap', 500);
    expect(progress.figures(MAC, 'ap')).toMatchObject({ percent: 50, waitsToResume: false });
    // Only what moved since the resume counts as delivered.
    expect(progress.moved.deliveredBytes).toBe(70);
  });

  it('does not replace the count of a transfer under way', () => {
    const progress = new TransferProgress();
    progress.start(MAC, 'ap', 1000);
    progress.update(MAC, 'ap', 600);
    progress.heldAtJoin(MAC, 'ap', 430, 1000);
    expect(progress.figures(MAC, 'ap')).toMatchObject({ percent: 60, waitsToResume: false });
  });

  it('is not carried into the transfer of another image', () => {
    const progress = new TransferProgress();
    progress.heldAtJoin(MAC, 'ap', 430, 1000);
    progress.start(MAC, 'ap', 2000);
    expect(progress.figures(MAC, 'ap')).toMatchObject({ percent: 0, waitsToResume: false });
  });
});

describe('the last count an AP acknowledged, kept across a restart', () => {
  it('is kept at the first count, then every 5 % of the image, not at each block', () => {
    const progress = new TransferProgress();
    progress.start(MAC, 'ap', 1000);
    const kept = [10, 30, 49, 59, 60, 99, 109, 430, 449, 479, 1000].filter((bytes) => progress.update(MAC, 'ap', bytes));
    expect(KEEP_STEP).toBe(0.05);
    expect(kept).toEqual([10, 60, 430, 1000]);
  });

  it('counts a resumed transfer from where it resumed, and a transfer that starts over from its start', () => {
    const progress = new TransferProgress();
    progress.heldAtJoin(MAC, 'ap', 430, 1000);
    progress.start(MAC, 'ap', 1000);
    expect([430, 470, 480].filter((bytes) => progress.update(MAC, 'ap', bytes))).toEqual([430, 480]);
    // The AP lost what it held: its first count, lower than the last kept, replaces it at once.
    progress.start(MAC, 'ap', 1000);
    expect([0, 20].filter((bytes) => progress.update(MAC, 'ap', bytes))).toEqual([0]);
  });

  it('stands still as the last acknowledged count, never live, until the AP rejoins and says what it holds', () => {
    const progress = new TransferProgress();
    progress.lastAcknowledged(MAC, 'ap', 400, 1000);
    expect(progress.figures(MAC, 'ap')).toEqual({ percent: 40, etaSeconds: null, startedAt: null, waitsToResume: true, lastAcknowledged: true });
    // The AP's own figure wins, more or less than the kept one.
    progress.heldAtJoin(MAC, 'ap', 430, 1000);
    expect(progress.figures(MAC, 'ap')).toMatchObject({ percent: 43, waitsToResume: true, lastAcknowledged: false });
  });

  it('goes when the AP rejoins holding nothing of the image', () => {
    const progress = new TransferProgress();
    progress.lastAcknowledged(MAC, 'ap', 400, 1000);
    expect(progress.rejoinedWithout(MAC, 'ap')).toBe(true);
    expect(progress.figures(MAC, 'ap')).toBeNull();
    // A transfer under way is not what an AP's join says.
    progress.start(MAC, 'ap', 1000);
    progress.update(MAC, 'ap', 600);
    expect(progress.rejoinedWithout(MAC, 'ap')).toBe(false);
    expect(progress.figures(MAC, 'ap')).toMatchObject({ percent: 60 });
  });
});
