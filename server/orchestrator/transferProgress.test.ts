import { describe, expect, it } from 'vitest';
import { TransferProgress } from './transferProgress';

const MAC = '70f0.96a1.4e20';

describe('what an AP that joined again holds', () => {
  it('stands still, waiting, until its delivery restarts, which goes on from there', () => {
    const progress = new TransferProgress();
    progress.heldAtJoin(MAC, 'ap', 430, 1000);
    expect(progress.figures(MAC, 'ap')).toEqual({ percent: 43, etaSeconds: null, startedAt: null, waitsToResume: true });

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
