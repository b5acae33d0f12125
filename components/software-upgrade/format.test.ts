import { describe, expect, it } from 'vitest';
import { rateTickDigits } from './format';

// The rate chart's tops are 1, 2 or 5 times a power of ten (bytes per second); its ticks are 0, half the top and the top.
const TOPS = [1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2.5e8];

describe("the rate chart's tick labels", () => {
  it.each(TOPS)('for a top of %d B/s, read as the MB/s they stand for, three different labels', (top) => {
    const digits = rateTickDigits(top);
    const label = (bytesPerSecond: number) => new Intl.NumberFormat('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(bytesPerSecond / 1e6);
    const ticks = [0, top / 2, top];
    const labels = ticks.map(label);
    expect(new Set(labels).size, labels.join(' / ')).toBe(3);
    labels.forEach((text, index) => expect(Number(text.replace(/,/g, '')), text).toBeCloseTo(ticks[index] / 1e6, 9));
  });

  it('a top of 0.1 MB/s reads 0.00 / 0.05 / 0.10', () => {
    expect(rateTickDigits(1e5)).toBe(2);
  });
});
