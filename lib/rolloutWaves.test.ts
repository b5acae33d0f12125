import { describe, expect, it } from 'vitest';
import { planWaves, waveBreachesThreshold, type WaveCandidate } from './rolloutWaves';

const ap = (name: string, siteTag: string, extra: Partial<WaveCandidate> = {}): WaveCandidate => ({ mac: name.toLowerCase(), name, siteTag, neighbors: [], hostsController: false, ...extra });

/** Every site tag with two or more APs keeps at least one AP up during each wave. */
function emptiedSites(aps: WaveCandidate[], waves: string[][]): string[] {
  const sizes = new Map<string, number>();
  for (const a of aps) sizes.set(a.siteTag, (sizes.get(a.siteTag) ?? 0) + 1);
  const site = new Map(aps.map((a) => [a.mac, a.siteTag]));
  return waves.flatMap((wave) => [...sizes].filter(([tag, size]) => size > 1 && wave.filter((mac) => site.get(mac) === tag).length === size).map(([tag]) => tag));
}

describe('rolling activation wave planner', () => {
  const fleet = [
    ...Array.from({ length: 12 }, (_, i) => ap(`HQ-${i + 1}`, 'HQ')),
    ...Array.from({ length: 5 }, (_, i) => ap(`BRANCH-${i + 1}`, 'BRANCH')),
    ap('KIOSK-1', 'KIOSK'),
    ap('HQ-CTRL', 'HQ', { hostsController: true }),
  ];

  it.each([5, 15, 25] as const)('takes about %i %% per wave, never empties a site, and reloads the controller AP alone last', (wavePercent) => {
    const waves = planWaves(fleet, { wavePercent });
    expect(waves.at(-1)).toEqual(['hq-ctrl']);
    expect(waves.flat().sort()).toEqual(fleet.map((a) => a.mac).sort());
    const capacity = Math.ceil((18 * wavePercent) / 100);
    for (const wave of waves.slice(0, -1)) expect(wave.length).toBeLessThanOrEqual(capacity);
    expect(emptiedSites(fleet, waves)).toEqual([]);
  });

  it('splits a wave size that would take a whole site at once', () => {
    const small = [ap('A-1', 'A'), ap('A-2', 'A'), ap('B-1', 'B')];
    const waves = planWaves(small, { waveSize: 10 });
    expect(waves.length).toBe(2);
    expect(emptiedSites(small, waves)).toEqual([]);
  });

  it('keeps neighbours in different waves where the sizes allow', () => {
    const aps = [ap('A-1', 'A', { neighbors: ['a-2'] }), ap('A-2', 'A'), ap('A-3', 'A', { neighbors: ['a-4'] }), ap('A-4', 'A')];
    const waves = planWaves(aps, { waveSize: 2 });
    for (const wave of waves) {
      expect(wave.includes('a-1') && wave.includes('a-2')).toBe(false);
      expect(wave.includes('a-3') && wave.includes('a-4')).toBe(false);
    }
  });

  it('never empties a site tag nor exceeds the wave size, on 1000 generated fleets', () => {
    // A fixed-seed generator: the same fleets on every run.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 1000; run += 1) {
      const count = 2 + Math.floor(random() * 60);
      const siteCount = 1 + Math.floor(random() * 8);
      const aps = Array.from({ length: count }, (_, i) => ap(`AP-${i}`, `SITE-${Math.floor(random() * siteCount)}`));
      const waveSize = 1 + Math.floor(random() * count);
      const waves = planWaves(aps, random() < 0.5 ? { wavePercent: ([5, 15, 25] as const)[run % 3] } : { waveSize });
      expect(waves.flat().sort()).toEqual(aps.map((a) => a.mac).sort());
      expect(emptiedSites(aps, waves)).toEqual([]);
    }
  });

  it('pauses only when more than the threshold failed', () => {
    expect(waveBreachesThreshold(1, 4, 25)).toBe(false);
    expect(waveBreachesThreshold(2, 4, 25)).toBe(true);
    expect(waveBreachesThreshold(1, 4, 0)).toBe(true);
    expect(waveBreachesThreshold(0, 4, 0)).toBe(false);
  });
});
