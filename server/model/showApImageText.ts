import type { SurfaceRow, SurfaceSummary, SurfaceView } from '../../lib/invariants';
import { PREDOWNLOAD_STATUS_LABEL, PREDOWNLOAD_STATUSES, type PredownloadStatus } from '../../lib/predownloadStatus';

const STATUS_BY_LABEL = new Map(PREDOWNLOAD_STATUSES.map((status) => [PREDOWNLOAD_STATUS_LABEL[status], status] as const));

// The counters' labels as show ap image prints them (IOS's, no others), and the summary field each one is.
const COUNTER_LABELS: [string, keyof SurfaceSummary][] = [
  ['Initiated', 'initiated'],
  ['Downloading', 'downloading'],
  ['Predownloading', 'predownloading'],
  ['Completed downloading', 'completedDownloading'],
  ['Completed predownloading', 'completedPredownloading'],
  ['Not Supported', 'notSupported'],
  ['Failed to Predownload', 'failedToPredownload'],
  ['Predownload in progress', 'predownloadInProgress'],
];

// AP names and versions hold no spaces; a status label may (`Not Supported`).
const ROW = new RegExp(`^(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(${[...STATUS_BY_LABEL.keys()].sort((a, b) => b.length - a.length).join('|')})\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)$`);

/** Reads show ap image's text (rendered at `readAt`) back into the API's terms, as an engineer reading it would; throws on a line it cannot read. */
export function parseShowApImage(lines: readonly string[], readAt: number): SurfaceView {
  const summary: Record<string, number | boolean> = {};
  const total = lines.map((line) => /^Total number of APs +: (\d+)$/.exec(line)).find(Boolean);
  if (!total) throw new Error(`show ap image printed no "Total number of APs":\n${lines.join('\n')}`);
  summary.totalAps = Number(total[1]);
  // Each counter line read by its words, `        Initiated                  : 0`, whatever column its colon is at.
  const counters = new Map(
    lines
      .map((text) => /^ {8}(\S.*?) +: (\S+)$/.exec(text))
      .filter((match) => match !== null)
      .map((match) => [match[1], match[2]] as const),
  );
  for (const [label, field] of COUNTER_LABELS) {
    const value = counters.get(label);
    if (value === undefined) throw new Error(`show ap image printed no "${label}" counter`);
    summary[field] = field === 'predownloadInProgress' ? value === 'Yes' : Number(value);
  }
  const rule = lines.findIndex((line) => /^-{100,}$/.test(line));
  const rows: SurfaceRow[] = lines
    .slice(rule + 1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = ROW.exec(line);
      if (!match) throw new Error(`show ap image printed a row that does not read as one: ${JSON.stringify(line)}`);
      const [, name, primaryImage, backupImage, label, version, nextRetry, retryCount, method] = match;
      return {
        name,
        primaryImage,
        backupImage,
        predownloadStatus: STATUS_BY_LABEL.get(label) as PredownloadStatus,
        // IOS prints 0.0.0.0 where no version is set.
        predownloadVersion: version === '0.0.0.0' ? null : version,
        retryCount: Number(retryCount),
        nextRetrySeconds: Number(nextRetry),
        method,
      };
    });
  return { surface: 'show ap image', readAt, summary: summary as unknown as SurfaceSummary, rows };
}
