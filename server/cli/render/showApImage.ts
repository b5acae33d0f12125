import { AP_IMAGE_COUNTERS, predownloadVersionText, type ApImageReport, type ApImageRow } from '../../../lib/apImage';
import { PREDOWNLOAD_STATUS_LABEL } from '../../../lib/predownloadStatus';

// IOS-XE's `show ap image`, as the seed's Chinese copy keeps it: data columns start at 0, 34, 57, 84,
// 106, 128, 146 and 164. IOS prints the header as one fixed line, not aligned with the data below it.
const WIDTHS = [34, 23, 27, 22, 22, 18, 18, 0] as const;
const HEADER = 'AP Name                           Primary Image          Backup Image            Predownload Status   Predownload Version  Next Retry Time   Retry Count   Method';
const RULE = '-'.repeat(162);
// Counter labels are padded so that every colon is at column 35.
const COUNTER_INDENT = '        ';
const COUNTER_LABEL_WIDTH = 27;

/** A cell never runs into the next one: a value as wide as its column, or wider, still gets one space. */
function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const width = WIDTHS[i];
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

const counter = (label: string, value: number | string) => `${COUNTER_INDENT}${label.padEnd(COUNTER_LABEL_WIDTH)}: ${value}`;

/** `show ap image`: the counters, then one row per AP in the order given (the controller's), byte for byte in the seed's layout. */
export function renderShowApImage({ summary, aps }: ApImageReport, now = Date.now()): string[] {
  return [
    `Total number of APs  : ${summary.totalAps}`,
    '',
    'Number of APs',
    // IOS's lines only: the counters it does not print (None, Aborted, Reloading, Joined) are on the page and in the API.
    ...AP_IMAGE_COUNTERS.filter(({ ios }) => ios).map(({ key, label }) => counter(label, summary[key])),
    counter('Predownload in progress', summary.predownloadInProgress ? 'Yes' : 'No'),
    '',
    HEADER,
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
