import type { Namespace } from 'socket.io';
import type { ApImageRow, ApImageSummary } from '../../lib/apImage';
import type { ConsoleClientToServerEvents, ConsoleServerToClientEvents, ConsoleSnapshot } from '../../lib/socketEvents';
import type { SyslogLine } from '../../lib/syslog';
import type { UpgradeView } from '../../lib/upgradeStage';
import type { ImageDownloadProfileView } from '../../lib/imageDownloadProfile';
import type { ConsoleNotifier } from '../orchestrator/notifier';

export type ConsoleNamespace = Namespace<ConsoleClientToServerEvents, ConsoleServerToClientEvents>;

export interface ConsoleViews {
  snapshot(): ConsoleSnapshot;
  apRow(mac: string): ApImageRow | null;
  summary(): ApImageSummary;
  upgrade(): UpgradeView;
}

// Four batches a second: live enough for a progress bar, cheap enough for a large fleet.
const FLUSH_MS = 250;

/**
 * The browser side: a full snapshot on every (re)connection, then coalesced
 * batches of what changed. The only place that talks to browsers.
 */
export class ConsoleHub implements ConsoleNotifier {
  private readonly dirtyAps = new Set<string>();
  private upgradeDirty = false;
  private pendingLines: SyslogLine[] = [];
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;

  constructor(
    private readonly namespace: ConsoleNamespace,
    private readonly views: ConsoleViews,
  ) {
    namespace.on('connection', (socket) => {
      socket.emit('snapshot:sent', views.snapshot());
      socket.on('snapshot:request', (ack) => {
        if (typeof ack === 'function') ack(views.snapshot());
      });
    });
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
    this.schedule();
  }

  profileChanged(profile: ImageDownloadProfileView): void {
    this.namespace.emit('profile:updated', profile);
  }

  private schedule(): void {
    if (this.disposed) return;
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingLines.length > 0) {
      this.namespace.emit('syslog:appended', this.pendingLines);
      this.pendingLines = [];
    }
    if (this.dirtyAps.size > 0) {
      const aps: ApImageRow[] = [];
      const removed: string[] = [];
      for (const mac of this.dirtyAps) {
        const row = this.views.apRow(mac);
        if (row) aps.push(row);
        else removed.push(mac);
      }
      this.dirtyAps.clear();
      this.namespace.emit('apImage:updated', { aps, removed, summary: this.views.summary() });
    }
    if (this.upgradeDirty) {
      this.upgradeDirty = false;
      this.namespace.emit('upgrade:updated', this.views.upgrade());
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
