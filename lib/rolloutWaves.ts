/**
 * The wave planner of a rolling activation, as the EWC's rolling AP upgrade plans it:
 * a share of the APs per wave, spread so that no wave reloads every AP of a site tag
 * (clients roam to an AP of the same site that stays up), neighbours kept in different
 * waves where the fleet allows, and the AP hosting the controller alone in the last wave.
 */
export interface WaveCandidate {
  mac: string;
  name: string;
  siteTag: string;
  neighbors: readonly string[];
  hostsController: boolean;
}

export interface WaveSizing {
  /** Share of the APs per wave, in percent. */
  wavePercent?: number;
  /** Number of APs per wave; wins over the percentage. */
  waveSize?: number;
}

const byName = (a: WaveCandidate, b: WaveCandidate) => a.name.localeCompare(b.name, 'en', { numeric: true }) || a.mac.localeCompare(b.mac);

/** How many APs a wave takes: the size asked for, else the percentage of the APs (at least one). */
export function waveCapacity(apCount: number, sizing: WaveSizing): number {
  if (sizing.waveSize !== undefined) return Math.max(1, sizing.waveSize);
  return Math.max(1, Math.ceil((apCount * (sizing.wavePercent ?? 25)) / 100));
}

/** The waves, each a list of MACs, in the order they reload. */
export function planWaves(candidates: readonly WaveCandidate[], sizing: WaveSizing): string[][] {
  const controllerAps = candidates.filter((ap) => ap.hostsController).sort(byName);
  const others = candidates.filter((ap) => !ap.hostsController);
  const waves = planSiteSpread(others, sizing);
  // The controller's own AP reloads last: until then the controller stays up to watch every other wave.
  if (controllerAps.length > 0) waves.push(controllerAps.map((ap) => ap.mac));
  return waves;
}

function planSiteSpread(aps: readonly WaveCandidate[], sizing: WaveSizing): string[][] {
  if (aps.length === 0) return [];
  const sites = new Map<string, WaveCandidate[]>();
  for (const ap of [...aps].sort(byName)) sites.set(ap.siteTag, [...(sites.get(ap.siteTag) ?? []), ap]);
  let count = Math.ceil(aps.length / waveCapacity(aps.length, sizing));
  // One wave would take every AP of a site tag that has two or more: split it.
  if (count === 1 && [...sites.values()].some((site) => site.length > 1)) count = 2;
  const capacity = Math.ceil(aps.length / count);
  const waves: WaveCandidate[][] = Array.from({ length: count }, () => []);
  // Biggest sites first: they have the least room to spread.
  const ordered = [...sites.values()].sort((a, b) => b.length - a.length).flat();
  for (const ap of ordered) {
    let best = -1;
    let bestScore: number[] = [];
    waves.forEach((wave, index) => {
      if (wave.length >= capacity) return;
      const sameSite = wave.filter((other) => other.siteTag === ap.siteTag).length;
      const neighbours = wave.filter((other) => ap.neighbors.includes(other.mac) || other.neighbors.includes(ap.mac)).length;
      const score = [sameSite, neighbours, wave.length, index];
      if (best < 0 || compareScores(score, bestScore) < 0) {
        best = index;
        bestScore = score;
      }
    });
    waves[best].push(ap);
  }
  return waves.filter((wave) => wave.length > 0).map((wave) => wave.map((ap) => ap.mac));
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The waves an activation runs, each a list of MACs: one wave for all at once, else the planner's. */
export function activationWaves(candidates: readonly WaveCandidate[], options: WaveSizing & { strategy: 'all' | 'rolling' }): string[][] {
  if (options.strategy === 'all') return candidates.length > 0 ? [candidates.map((ap) => ap.mac)] : [];
  return planWaves(candidates, options);
}

/** True when more than the threshold's share of a wave's APs failed: the rollout pauses. */
export function waveBreachesThreshold(failed: number, waveSize: number, errorThresholdPercent: number): boolean {
  return waveSize > 0 && (failed / waveSize) * 100 > errorThresholdPercent;
}
