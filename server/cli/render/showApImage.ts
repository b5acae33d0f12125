import { AP_IMAGE_COUNTERS, predownloadVersionText, type ApImageReport, type ApImageRow } from '../../../lib/apImage';
import { PREDOWNLOAD_STATUS_LABEL } from '../../../lib/predownloadStatus';

// Column widths of IOS-XE's `show ap image`; the rule under the header is 162 dashes, as in the seed.
const COLUMNS = [
  ['AP Name', 34],
  ['Primary Image', 19],
  ['Backup Image', 19],
  ['Predownload Status', 22],
  ['Predownload Version', 23],
  ['Next Retry Time', 17],
  ['Retry Count', 13],
  ['Method', 0],
] as const;

const RULE = '-'.repeat(162);

/** A cell never runs into the next one: a value as wide as its column still gets one space. */
function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const width = COLUMNS[i][1];
      return width === 0 ? cell : cell.length >= width ? `${cell} ` : cell.padEnd(width);
    })
    .join('')
    .trimEnd();
}

/** IOS shows the seconds until the next retry, 0 when none is scheduled. */
function nextRetrySeconds(ap: ApImageRow, now: number): string {
  if (!ap.nextRetryTime) return '0';
  return String(Math.max(0, Math.ceil((Date.parse(ap.nextRetryTime) - now) / 1000)));
}

const counter = (label: string, value: number | string) => `        ${label.padEnd(32)}: ${value}`;

/** `show ap image`: the counters, then one row per AP, in the seed's layout. */
export function renderShowApImage({ summary, aps }: ApImageReport, now = Date.now()): string[] {
  return [
    `Total number of APs : ${summary.totalAps}`,
    '',
    'Number of APs',
    // IOS's lines only: the counters it does not print (None, Aborted, Reloading, Joined) are on the page and in the API.
    ...AP_IMAGE_COUNTERS.filter(({ ios }) => ios).map(({ key, label }) => counter(label, summary[key])),
    counter('Predownload in progress', summary.predownloadInProgress ? 'Yes' : 'No'),
    '',
    '',
    row(COLUMNS.map(([title]) => title)),
    RULE,
    ...aps.map((ap) =>
      row([
        ap.name,
        ap.primaryImage,
        ap.backupImage,
        PREDOWNLOAD_STATUS_LABEL[ap.predownloadStatus],
        predownloadVersionText(ap.predownloadVersion),
        nextRetrySeconds(ap, now),
        String(ap.retryCount),
        ap.method,
      ]),
    ),
  ];
}
