import type { LoggingHost, LoggingHostStatus, LoggingLinkState } from '../../lib/loggingSettings';

/** What a feed tells the forwarder, which writes it as an event line (so every host, show logging and the page see it). */
export type FeedEvent = { kind: 'down'; reason: string } | { kind: 'up'; dropped: number };

// Reconnection (TCP) and probing (UDP) back off from 1 s to 30 s: a host that stays down costs a packet every half minute.
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

/** Socket error codes in the words an administrator knows them by. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset',
  EPIPE: 'Connection reset',
  ETIMEDOUT: 'Timed out',
  EHOSTUNREACH: 'Host unreachable',
  ENETUNREACH: 'Network unreachable',
  EADDRNOTAVAIL: 'Address not available',
};

function socketReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (code && REASONS[code]) ?? (code ? `Connection failed (${code})` : 'Connection closed');
}

/**
 * One syslog host's feed: a bounded queue in front of a transport. While the host cannot be reached the
 * queue holds at most `queueLines` lines; what comes beyond is dropped and counted, and the count is
 * reported once when the host is back. Nothing here blocks the console: a dead host costs its queue.
 */
export abstract class HostFeed {
  protected readonly queue: Buffer[] = [];
  protected link: LoggingLinkState = 'connecting';
  protected closed = false;
  private sent = 0;
  private dropped = 0;
  private droppedSinceUp = 0;
  private lastError: string | null = null;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  // The first failure after a configuration is reported too, so a host that was never reachable says so.
  private wasUp = true;

  constructor(
    readonly host: LoggingHost,
    private readonly queueLines: number,
    private readonly report: (event: FeedEvent) => void,
  ) {}

  /**
   * Queues a framed message and sends what the transport takes now. `force` lets a line past a full
   * queue: the line that reports the drop count must not be dropped itself.
   */
  enqueue(frame: Buffer, force = false): void {
    if (this.closed) return;
    if (this.queue.length >= this.queueLines && !force) {
      this.dropped += 1;
      this.droppedSinceUp += 1;
      return;
    }
    this.queue.push(frame);
    if (this.link === 'up') this.pump();
  }

  status(): LoggingHostStatus {
    return { ...this.host, link: this.link, linesSent: this.sent, queued: this.queue.length, linesDropped: this.dropped, lastError: this.lastError };
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.queue.length = 0;
    this.shutdown();
  }

  /** Sends queued frames while the transport takes them; each subclass moves `sentOne()` on. */
  protected abstract pump(): void;
  /** Tries the host again: a new connection (TCP) or a probe (UDP). */
  protected abstract retry(): void;
  protected abstract shutdown(): void;

  protected sentOne(): void {
    this.queue.shift();
    this.sent += 1;
  }

  protected markUp(): void {
    if (this.closed) return;
    const wasDown = !this.wasUp;
    this.link = 'up';
    this.wasUp = true;
    this.retryMs = FIRST_RETRY_MS;
    this.lastError = null;
    if (wasDown) {
      const dropped = this.droppedSinceUp;
      this.droppedSinceUp = 0;
      this.report({ kind: 'up', dropped });
    }
    this.pump();
  }

  protected markDown(error: unknown): void {
    if (this.closed) return;
    const reason = socketReason(error);
    this.link = 'down';
    this.lastError = reason;
    if (this.wasUp) {
      this.wasUp = false;
      this.report({ kind: 'down', reason });
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) this.retry();
    }, delay);
    this.retryTimer.unref();
  }
}
