import type { ApImageReport, ApImageRow, ApImageSummary } from './apImage';
import type { ImageDownloadProfileView } from './imageDownloadProfile';
import type { SyslogLine } from './syslog';
import type { UpgradeView } from './upgradeStage';

/** Everything the page shows, sent first on every (re)connection. */
export interface ConsoleSnapshot {
  profile: ImageDownloadProfileView;
  upgrade: UpgradeView;
  apImage: ApImageReport;
  syslog: SyslogLine[];
  homogeneous: boolean;
}

/** Events on the browser namespace `/`; names are `resource:verb`. */
export interface ConsoleServerToClientEvents {
  'snapshot:sent': (snapshot: ConsoleSnapshot) => void;
  /** Rows that changed since the last batch (coalesced), with the new counters. */
  'apImage:updated': (batch: { aps: ApImageRow[]; removed: string[]; summary: ApImageSummary }) => void;
  'upgrade:updated': (upgrade: UpgradeView) => void;
  'syslog:appended': (lines: SyslogLine[]) => void;
  'profile:updated': (profile: ImageDownloadProfileView) => void;
}

export interface ConsoleClientToServerEvents {
  'snapshot:request': (ack: (snapshot: ConsoleSnapshot) => void) => void;
}
