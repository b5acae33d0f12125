import type { ApImageReport, ApImageRow, ApImageSummary } from '@/lib/apImage';
import { DEFAULT_AP_IMAGE_PAGE_QUERY, type ApImagePageQuery } from '@/lib/apImageQuery';
import type { ImageDownloadProfileView } from '@/lib/imageDownloadProfile';
import type { ApImageBatch, ConsoleSnapshot, TransferSample } from '@/lib/socketEvents';
import { SYSLOG_PAGE_LINES, type SyslogLine } from '@/lib/syslog';
import type { UpgradeView } from '@/lib/upgradeStage';

/** `leaving`: this tab ended its own session, so its socket was dropped on purpose and nothing is retried. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'leaving';

export interface ConsoleState {
  connection: ConnectionStatus;
  /** Why the console said it was stopping (a graceful stop), until the page is live again. */
  stopNotice: string | null;
  /** When the live connection was lost (ISO time), until it is live again. */
  disconnectedAt: string | null;
  /** False until the first snapshot; afterwards the last known state is kept through disconnections. */
  loaded: boolean;
  profile: ImageDownloadProfileView | null;
  upgrade: UpgradeView | null;
  /** The page of the AP table being looked at. */
  aps: ApImageRow[];
  /** How many APs match the table's filter. */
  total: number;
  apImageQuery: ApImagePageQuery;
  summary: ApImageSummary | null;
  syslog: SyslogLine[];
  homogeneous: boolean;
  /** The console's transfer totals with the last snapshot or batch (the delivery chart's source). */
  transfer: TransferSample | null;
}

export type ConsoleAction =
  | { type: 'connected' }
  | { type: 'disconnected'; at: string }
  | { type: 'leaving' }
  | { type: 'stopping'; reason: string }
  | { type: 'snapshot'; snapshot: ConsoleSnapshot }
  | { type: 'apImage'; batch: ApImageBatch }
  | { type: 'apImagePage'; query: ApImagePageQuery; apImage: ApImageReport }
  | { type: 'upgrade'; upgrade: UpgradeView }
  | { type: 'syslog'; lines: SyslogLine[] }
  | { type: 'profile'; profile: ImageDownloadProfileView };

export const INITIAL_CONSOLE_STATE: ConsoleState = {
  connection: 'connecting',
  stopNotice: null,
  disconnectedAt: null,
  loaded: false,
  profile: null,
  upgrade: null,
  aps: [],
  total: 0,
  apImageQuery: DEFAULT_AP_IMAGE_PAGE_QUERY,
  summary: null,
  syslog: [],
  // Assume homogeneous until told otherwise, so the warning never flashes on load.
  homogeneous: true,
  transfer: null,
};

/**
 * Applies a batch to the page's rows: changed rows replace theirs; when the page's membership
 * or order changed, the rows follow the new MAC list. Unchanged rows keep their object
 * identity so memoised table rows skip re-rendering.
 */
export function applyApImageBatch(rows: readonly ApImageRow[], batch: ApImageBatch): ApImageRow[] {
  if (batch.aps.length === 0 && batch.page === null) return rows as ApImageRow[];
  const byMac = new Map(rows.map((row) => [row.mac, row]));
  for (const row of batch.aps) byMac.set(row.mac, row);
  if (batch.page) return batch.page.flatMap((mac) => byMac.get(mac) ?? []);
  return rows.map((row) => byMac.get(row.mac)!);
}

/** Appends lines not seen yet (a reconnect may replay some) and keeps the newest SYSLOG_PAGE_LINES. */
export function appendSyslog(lines: readonly SyslogLine[], added: readonly SyslogLine[]): SyslogLine[] {
  const known = new Set(lines.map((line) => line.id));
  const fresh = added.filter((line) => !known.has(line.id));
  if (fresh.length === 0) return lines as SyslogLine[];
  return lastLines([...lines, ...fresh]);
}

function lastLines(lines: SyslogLine[]): SyslogLine[] {
  return lines.length > SYSLOG_PAGE_LINES ? lines.slice(lines.length - SYSLOG_PAGE_LINES) : lines;
}

export function consoleReducer(state: ConsoleState, action: ConsoleAction): ConsoleState {
  switch (action.type) {
    case 'connected':
      return { ...state, connection: 'live', stopNotice: null, disconnectedAt: null };
    case 'disconnected':
      // Never having connected is "connecting", not "reconnecting"; failed retries keep the time the link was lost.
      if (state.connection === 'connecting' || state.connection === 'leaving') return state;
      return { ...state, connection: 'reconnecting', disconnectedAt: state.disconnectedAt ?? action.at };
    case 'leaving':
      return { ...state, connection: 'leaving' };
    case 'stopping':
      return { ...state, stopNotice: action.reason };
    case 'snapshot': {
      const { snapshot } = action;
      return {
        ...state,
        loaded: true,
        profile: snapshot.profile,
        upgrade: snapshot.upgrade,
        aps: snapshot.apImage.aps,
        total: snapshot.apImage.total,
        apImageQuery: snapshot.apImageQuery,
        summary: snapshot.apImage.summary,
        syslog: lastLines(snapshot.syslog),
        homogeneous: snapshot.homogeneous,
        transfer: snapshot.transfer,
      };
    }
    case 'apImage':
      // Deltas only make sense on top of a snapshot; the snapshot that follows every connect carries them anyway.
      if (!state.loaded) return state;
      return { ...state, aps: applyApImageBatch(state.aps, action.batch), total: action.batch.total, summary: action.batch.summary, transfer: action.batch.transfer };
    case 'apImagePage':
      if (!state.loaded) return state;
      return { ...state, aps: action.apImage.aps, total: action.apImage.total, summary: action.apImage.summary, apImageQuery: action.query };
    case 'upgrade':
      if (!state.loaded) return state;
      return { ...state, upgrade: action.upgrade };
    case 'syslog': {
      if (!state.loaded) return state;
      const syslog = appendSyslog(state.syslog, action.lines);
      return syslog === state.syslog ? state : { ...state, syslog };
    }
    case 'profile':
      return { ...state, profile: action.profile };
  }
}
