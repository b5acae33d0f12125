import type { ApImageReport, ApImageRow, ApImageSummary } from './apImage';
import type { ApImagePageQuery } from './apImageQuery';
import type { ImageDownloadProfileView } from './imageDownloadProfile';
import type { SyslogLine } from './syslog';
import type { UpgradeView } from './upgradeStage';

/**
 * The console's transfer totals at one moment (its clock): bytes fetched from image servers and acknowledged
 * by APs since it started. Two samples give the aggregate rate, which no page of AP rows could add up at 6,000 APs.
 */
export interface TransferSample {
  /** Epoch milliseconds on the console. */
  at: number;
  fetchedBytes: number;
  deliveredBytes: number;
}

/** What the page shows, sent first on every (re)connection: bounded whatever the fleet's size. */
export interface ConsoleSnapshot {
  profile: ImageDownloadProfileView;
  upgrade: UpgradeView;
  /** The counters of the whole fleet and one page of the AP table. */
  apImage: ApImageReport;
  /** The view of the AP table that page is. */
  apImageQuery: ApImagePageQuery;
  syslog: SyslogLine[];
  homogeneous: boolean;
  transfer: TransferSample;
}

/** A batch for the AP table: the fleet's counters, and what changed on the page being looked at. */
export interface ApImageBatch {
  summary: ApImageSummary;
  /** How many APs match the page's filter. */
  total: number;
  /** Rows of the page that changed (or, with `page`, every row the page did not have). */
  aps: ApImageRow[];
  /** When the page's rows or their order changed: its MACs in order; null when only rows changed. */
  page: string[] | null;
  transfer: TransferSample;
}

export type ApImageViewReply = { ok: true; query: ApImagePageQuery; apImage: ApImageReport } | { ok: false; error: string };

/** Events on the browser namespace `/`; names are `resource:verb`. */
export interface ConsoleServerToClientEvents {
  'snapshot:sent': (snapshot: ConsoleSnapshot) => void;
  'apImage:updated': (batch: ApImageBatch) => void;
  'upgrade:updated': (upgrade: UpgradeView) => void;
  'syslog:appended': (lines: SyslogLine[]) => void;
  'profile:updated': (profile: ImageDownloadProfileView) => void;
  /** The console is stopping (SIGTERM): why, sent just before the connection closes. */
  'console:stopping': (notice: { reason: string }) => void;
}

export interface ConsoleClientToServerEvents {
  /** At most one snapshot a second per page; requests in between are answered with the same one. */
  'snapshot:request': (ack: (snapshot: ConsoleSnapshot) => void) => void;
  /** Which page of the AP table, filtered and sorted how; answered with that page. */
  'apImage:view': (query: ApImagePageQuery, ack: (reply: ApImageViewReply) => void) => void;
}
