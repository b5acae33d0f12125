import type { ApImageRow, ApImageSummary } from '@/lib/apImage';
import type { ImageDownloadProfileView } from '@/lib/imageDownloadProfile';
import type { ConsoleServerToClientEvents, ConsoleSnapshot } from '@/lib/socketEvents';
import type { SyslogLine } from '@/lib/syslog';
import type { UpgradeView } from '@/lib/upgradeStage';

/** How many syslog lines the page keeps; older ones scroll off as on the controller's buffer. */
export const SYSLOG_LIMIT = 500;

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';

export type ApImageBatch = Parameters<ConsoleServerToClientEvents['apImage:updated']>[0];

export interface ConsoleState {
  connection: ConnectionStatus;
  /** False until the first snapshot; afterwards the last known state is kept through disconnections. */
  loaded: boolean;
  profile: ImageDownloadProfileView | null;
  upgrade: UpgradeView | null;
  aps: ApImageRow[];
  summary: ApImageSummary | null;
  syslog: SyslogLine[];
  homogeneous: boolean;
}

export type ConsoleAction =
  | { type: 'connected' }
  | { type: 'disconnected' }
  | { type: 'snapshot'; snapshot: ConsoleSnapshot }
  | { type: 'apImage'; batch: ApImageBatch }
  | { type: 'upgrade'; upgrade: UpgradeView }
  | { type: 'syslog'; lines: SyslogLine[] }
  | { type: 'profile'; profile: ImageDownloadProfileView };

export const INITIAL_CONSOLE_STATE: ConsoleState = {
  connection: 'connecting',
  loaded: false,
  profile: null,
  upgrade: null,
  aps: [],
  summary: null,
  syslog: [],
  // Assume homogeneous until told otherwise, so the warning never flashes on load.
  homogeneous: true,
};

/**
 * Merges a batch into the rows by MAC: changed rows replace theirs in place,
 * new ones are appended, removed ones dropped. Unchanged rows keep their
 * object identity so memoised table rows skip re-rendering.
 */
export function mergeApRows(rows: readonly ApImageRow[], changed: readonly ApImageRow[], removed: readonly string[]): ApImageRow[] {
  if (changed.length === 0 && removed.length === 0) return rows as ApImageRow[];
  const pending = new Map(changed.map((row) => [row.mac, row]));
  const gone = new Set(removed);
  const next: ApImageRow[] = [];
  for (const row of rows) {
    if (gone.has(row.mac)) continue;
    const update = pending.get(row.mac);
    if (update) pending.delete(row.mac);
    next.push(update ?? row);
  }
  for (const row of pending.values()) {
    if (!gone.has(row.mac)) next.push(row);
  }
  return next;
}

/** Appends lines not seen yet (a reconnect may replay some) and keeps the newest SYSLOG_LIMIT. */
export function appendSyslog(lines: readonly SyslogLine[], added: readonly SyslogLine[]): SyslogLine[] {
  const known = new Set(lines.map((line) => line.id));
  const fresh = added.filter((line) => !known.has(line.id));
  if (fresh.length === 0) return lines as SyslogLine[];
  return lastLines([...lines, ...fresh]);
}

function lastLines(lines: SyslogLine[]): SyslogLine[] {
  return lines.length > SYSLOG_LIMIT ? lines.slice(lines.length - SYSLOG_LIMIT) : lines;
}

export function consoleReducer(state: ConsoleState, action: ConsoleAction): ConsoleState {
  switch (action.type) {
    case 'connected':
      return { ...state, connection: 'live' };
    case 'disconnected':
      // Never having connected is "connecting", not "reconnecting".
      return { ...state, connection: state.connection === 'connecting' ? 'connecting' : 'reconnecting' };
    case 'snapshot': {
      const { snapshot } = action;
      return {
        ...state,
        loaded: true,
        profile: snapshot.profile,
        upgrade: snapshot.upgrade,
        aps: snapshot.apImage.aps,
        summary: snapshot.apImage.summary,
        syslog: lastLines(snapshot.syslog),
        homogeneous: snapshot.homogeneous,
      };
    }
    case 'apImage':
      // Deltas only make sense on top of a snapshot; the snapshot that follows every connect carries them anyway.
      if (!state.loaded) return state;
      return { ...state, aps: mergeApRows(state.aps, action.batch.aps, action.batch.removed), summary: action.batch.summary };
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
