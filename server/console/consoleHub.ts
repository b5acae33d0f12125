import type { Namespace, Socket } from 'socket.io';
import type { ApImageReport, ApImageRow, ApImageSummary } from '../../lib/apImage';
import { apImagePageQuerySchema, DEFAULT_AP_IMAGE_PAGE_QUERY, type ApImagePageQuery } from '../../lib/apImageQuery';
import type { ImageDownloadProfileView } from '../../lib/imageDownloadProfile';
import type { ConsoleClientToServerEvents, ConsoleServerToClientEvents, ConsoleSnapshot, TransferSample } from '../../lib/socketEvents';
import { SYSLOG_PAGE_LINES, type SyslogLine } from '../../lib/syslog';
import type { UpgradeView } from '../../lib/upgradeStage';
import type { ConsoleNotifier } from '../orchestrator/notifier';

export type ConsoleNamespace = Namespace<ConsoleClientToServerEvents, ConsoleServerToClientEvents>;
type ConsoleSocket = Socket<ConsoleClientToServerEvents, ConsoleServerToClientEvents>;

export interface ConsoleViews {
  snapshot(query: ApImagePageQuery): ConsoleSnapshot;
  page(query: ApImagePageQuery): ApImageReport;
  summary(): ApImageSummary;
  upgrade(): UpgradeView;
  transfer(): TransferSample;
}

// Four batches a second: live enough for a progress bar, cheap enough for a large fleet.
const FLUSH_MS = 250;
// However often a page asks for a snapshot, it gets at most one a second; requests in between share it.
const SNAPSHOT_INTERVAL_MS = 1000;
const MAX_WAITING_SNAPSHOT_ACKS = 8;
// Batches a page may have outstanding (not yet written to its connection) before it skips some.
const MAX_UNDRAINED_BATCHES = 4;

/** What one page is looking at, and what it was last sent. */
interface PageView {
  query: ApImagePageQuery;
  /** The MACs of the page last sent, in order. */
  macs: string[];
  /** The places in line each row of that page was last sent with (`placesInLine`): they move without the AP changing. */
  positions: Map<string, string>;
  /** The page missed a batch (its connection was backed up): send it whole next time. */
  stale: boolean;
  /** Batches emitted since the connection last drained its write buffer. */
  undrained: number;
  lastSnapshotAt: number;
  snapshotAcks: Array<(snapshot: ConsoleSnapshot) => void>;
  snapshotTimer: NodeJS.Timeout | null;
}

const sameOrder = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((mac, i) => mac === b[i]);

/** A row's places in line (its AP image's, and the controller image's on the AP hosting it): they change without the AP changing. */
const placesInLine = (row: ApImageRow) => `${row.queuePosition}/${row.controllerQueuePosition}`;

/** What a page was sent: its MACs in order and each row's places in line. */
const sentPage = (rows: readonly ApImageRow[]) => ({ macs: rows.map((row) => row.mac), positions: new Map(rows.map((row) => [row.mac, placesInLine(row)])) });

/** The page asks for its table view in the handshake (`auth.apImageView`), so its first snapshot is already the right page. */
function initialQuery(socket: ConsoleSocket): ApImagePageQuery {
  const auth: unknown = socket.handshake.auth;
  const asked = typeof auth === 'object' && auth !== null && 'apImageView' in auth ? auth.apImageView : undefined;
  const parsed = apImagePageQuerySchema.safeParse(asked);
  return parsed.success ? parsed.data : DEFAULT_AP_IMAGE_PAGE_QUERY;
}

/**
 * The browser side: a bounded snapshot on every (re)connection (counters, the page of the
 * table the page looks at, recent log lines), then coalesced batches: the counters, and
 * the rows of that page that changed. The only place that talks to browsers.
 */
export class ConsoleHub implements ConsoleNotifier {
  private readonly dirtyAps = new Set<string>();
  private readonly views = new Map<string, PageView>();
  private upgradeDirty = false;
  private pendingLines: SyslogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;

  constructor(
    private readonly namespace: ConsoleNamespace,
    private readonly sources: ConsoleViews,
  ) {
    namespace.on('connection', (socket) => this.connected(socket));
  }

  apChanged(mac: string): void {
    this.dirtyAps.add(mac);
    this.schedule();
  }

  upgradeChanged(): void {
    this.upgradeDirty = true;
    this.schedule();
  }

  syslogAppended(line: SyslogLine): void {
    this.pendingLines.push(line);
    // A flood of lines between two batches reaches the page as its newest lines, never as an unbounded batch.
    if (this.pendingLines.length > SYSLOG_PAGE_LINES * 2) this.pendingLines = this.pendingLines.slice(-SYSLOG_PAGE_LINES);
    this.schedule();
  }

  profileChanged(profile: ImageDownloadProfileView): void {
    this.namespace.emit('profile:updated', profile);
  }

  private connected(socket: ConsoleSocket): void {
    const query = initialQuery(socket);
    const snapshot = this.sources.snapshot(query);
    const view: PageView = { query, ...sentPage(snapshot.apImage.aps), stale: false, undrained: 0, lastSnapshotAt: Date.now(), snapshotAcks: [], snapshotTimer: null };
    this.views.set(socket.id, view);
    socket.conn.on('drain', () => {
      view.undrained = 0;
    });
    socket.emit('snapshot:sent', snapshot);
    socket.on('snapshot:request', (ack) => {
      if (typeof ack === 'function') this.requestSnapshot(view, ack);
    });
    socket.on('apImage:view', (asked, ack) => {
      if (typeof ack !== 'function') return;
      const parsed = apImagePageQuerySchema.safeParse(asked);
      if (!parsed.success) {
        ack({ ok: false, error: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
        return;
      }
      view.query = parsed.data;
      const page = this.sources.page(view.query);
      Object.assign(view, sentPage(page.aps));
      view.stale = false;
      ack({ ok: true, query: view.query, apImage: page });
    });
    socket.on('disconnect', () => {
      if (view.snapshotTimer) clearTimeout(view.snapshotTimer);
      this.views.delete(socket.id);
    });
  }

  private requestSnapshot(view: PageView, ack: (snapshot: ConsoleSnapshot) => void): void {
    if (view.snapshotAcks.length >= MAX_WAITING_SNAPSHOT_ACKS) return;
    view.snapshotAcks.push(ack);
    if (view.snapshotTimer) return;
    const wait = Math.max(0, view.lastSnapshotAt + SNAPSHOT_INTERVAL_MS - Date.now());
    view.snapshotTimer = setTimeout(() => {
      view.snapshotTimer = null;
      view.lastSnapshotAt = Date.now();
      const snapshot = this.sources.snapshot(view.query);
      Object.assign(view, sentPage(snapshot.apImage.aps));
      view.stale = false;
      const acks = view.snapshotAcks;
      view.snapshotAcks = [];
      for (const waiting of acks) waiting(snapshot);
    }, wait);
  }

  private schedule(): void {
    if (this.disposed) return;
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingLines.length > 0) {
      this.namespace.emit('syslog:appended', this.pendingLines.slice(-SYSLOG_PAGE_LINES));
      this.pendingLines = [];
    }
    // The upgrade before the batch: a page takes a chart point when a batch's transfer sample arrives, with the
    // upgrade it has then, so the upgrade of this same moment must be there already (the last wave's figures
    // and the end come with the last batch, and would otherwise never be drawn).
    const upgradeChanged = this.upgradeDirty;
    if (upgradeChanged) {
      this.upgradeDirty = false;
      this.namespace.emit('upgrade:updated', this.sources.upgrade());
    }
    // An upgrade change moves counters no AP change carries (Predownload in progress starts with the command).
    if (this.dirtyAps.size > 0 || upgradeChanged) {
      this.sendPages();
      this.dirtyAps.clear();
    }
  }

  /** Each page gets the fleet's counters and what changed on the page it shows. */
  private sendPages(): void {
    const summary = this.sources.summary();
    const transfer = this.sources.transfer();
    for (const socket of this.namespace.sockets.values()) {
      const view = this.views.get(socket.id);
      if (!view) continue;
      // A page whose connection is not taking what it was sent skips batches, and gets its page whole once it catches up.
      if (view.undrained >= MAX_UNDRAINED_BATCHES) {
        view.stale = true;
        continue;
      }
      view.undrained += 1;
      const page = this.sources.page(view.query);
      const macs = page.aps.map((ap) => ap.mac);
      const unchanged = !view.stale && sameOrder(macs, view.macs);
      socket.emit('apImage:updated', {
        summary,
        total: page.total,
        aps: unchanged ? page.aps.filter((ap) => this.dirtyAps.has(ap.mac) || view.positions.get(ap.mac) !== placesInLine(ap)) : page.aps,
        page: unchanged ? null : macs,
        transfer,
      });
      Object.assign(view, sentPage(page.aps));
      view.stale = false;
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const view of this.views.values()) if (view.snapshotTimer) clearTimeout(view.snapshotTimer);
  }
}
