import type { RolloutStrategy, WaveState } from './rollout';
import type { UpgradeStage } from './upgradeStage';

/** One upgrade as the history lists it. */
export interface UpgradeHistoryEntry {
  id: number;
  startedBy: string | null;
  /** page, api, cli or schedule. */
  startedVia: string | null;
  stage: UpgradeStage;
  mode: string;
  imageUrl: string;
  targets: string;
  targetVersion: string | null;
  targetControllerVersion: string | null;
  strategy: RolloutStrategy | null;
  activatedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationSeconds: number | null;
  message: string | null;
  waveCount: number;
  failedAps: number;
}

export interface UpgradeHistoryWave {
  index: number;
  state: WaveState;
  aps: string[];
  startedAt: string | null;
  finishedAt: string | null;
  failed: number;
}

/** One upgrade opened: its waves and the error and warning lines logged while it ran. */
export interface UpgradeHistoryDetail extends UpgradeHistoryEntry {
  errorThresholdPercent: number | null;
  waves: UpgradeHistoryWave[];
  failures: { time: string; text: string }[];
}

const CSV_COLUMNS = [
  'id', 'startedBy', 'startedVia', 'stage', 'mode', 'imageUrl', 'targets', 'targetVersion', 'targetControllerVersion', 'strategy',
  'activatedBy', 'startedAt', 'finishedAt', 'durationSeconds', 'waveCount', 'failedAps', 'message',
] as const satisfies readonly (keyof UpgradeHistoryEntry)[];

// Quoted always; a leading = + - @ is neutralised so a spreadsheet never runs a cell as a formula.
function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The history as CSV, one upgrade per line, with a header line. */
export function upgradeHistoryCsv(entries: readonly UpgradeHistoryEntry[]): string {
  const lines = [CSV_COLUMNS.join(','), ...entries.map((entry) => CSV_COLUMNS.map((column) => csvCell(entry[column])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
