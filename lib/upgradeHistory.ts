import { z } from 'zod';
import { ROLLOUT_STRATEGIES } from './rollout';
import { sentenceSchema } from './serverSentences';
import { upgradeApCountsSchema } from './upgradeOutcome';
import { UPGRADE_STAGES } from './upgradeStage';

/** One upgrade as the history lists it (the page parses the API's answer with this schema). */
export const upgradeHistoryEntrySchema = z.object({
  id: z.number().int(),
  startedBy: z.string().nullable(),
  /** page, api, cli or schedule. */
  startedVia: z.string().nullable(),
  stage: z.enum(UPGRADE_STAGES),
  /** How it ended, in words: "Completed" only when every AP of the upgrade runs its version (upgradeResultText). */
  result: z.string(),
  /** The result's code and parameters when it says more than the stage's name (the page's language; the CSV keeps `result`). */
  resultSentence: sentenceSchema.nullable(),
  /** The upgrade that replaced it while it waited at Activate. */
  supersededBy: z.number().int().nullable(),
  mode: z.string(),
  imageUrl: z.string(),
  targets: z.string(),
  targetVersion: z.string().nullable(),
  targetControllerVersion: z.string().nullable(),
  strategy: z.enum(ROLLOUT_STRATEGIES).nullable(),
  activatedBy: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  message: z.string().nullable(),
  /** The message's code and parameters; null for upgrades written before they were kept. */
  messageSentence: sentenceSchema.nullable(),
  waveCount: z.number().int(),
  /** Its APs that failed (to predownload or to come back after the reload), as their rows show them. */
  failedAps: z.number().int(),
  /** Its APs by status and against its version: as they ended, or as they stand while it runs; null for upgrades that ended before they were kept. */
  apCounts: upgradeApCountsSchema.nullable(),
});
export type UpgradeHistoryEntry = z.infer<typeof upgradeHistoryEntrySchema>;

export const upgradeHistoryWaveSchema = z.object({
  index: z.number().int(),
  state: z.enum(['pending', 'reloading', 'done']),
  aps: z.array(z.string()),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  failed: z.number().int(),
});

/** One upgrade opened: its waves and the error and warning lines logged while it ran. */
export const upgradeHistoryDetailSchema = upgradeHistoryEntrySchema.extend({
  errorThresholdPercent: z.number().nullable(),
  waves: z.array(upgradeHistoryWaveSchema),
  failures: z.array(z.object({ time: z.string(), text: z.string() })),
});
export type UpgradeHistoryDetail = z.infer<typeof upgradeHistoryDetailSchema>;

const CSV_COLUMNS = [
  'id',
  'startedBy',
  'startedVia',
  'stage',
  'result',
  'supersededBy',
  'mode',
  'imageUrl',
  'targets',
  'targetVersion',
  'targetControllerVersion',
  'strategy',
  'activatedBy',
  'startedAt',
  'finishedAt',
  'durationSeconds',
  'waveCount',
  'failedAps',
  'message',
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

/** One upgrade as CSV: its summary line, one line per wave, one per failure line logged while it ran. */
export function upgradeDetailCsv(detail: UpgradeHistoryDetail): string {
  const header = ['kind', 'wave', 'time', 'aps', 'failed', 'text'];
  const summary = [
    'upgrade',
    '',
    detail.startedAt,
    '',
    String(detail.failedAps),
    `${detail.result}: ${detail.message ?? ''} (${detail.strategy ?? 'not activated'}, by ${detail.startedBy ?? '-'} via ${detail.startedVia ?? '-'})`,
  ];
  const waves = detail.waves.map((wave) => ['wave', String(wave.index + 1), wave.startedAt ?? '', wave.aps.join(' '), String(wave.failed), `${wave.state}, finished ${wave.finishedAt ?? '-'}`]);
  const failures = detail.failures.map((line) => ['log', '', line.time, '', '', line.text]);
  const lines = [header.join(','), ...[summary, ...waves, ...failures].map((row) => row.map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
