import { DEFAULT_LOGGING_SETTINGS, passesTrap, sameLoggingHost, type LoggingHost, type LoggingHostStatus, type LoggingSettings } from '../../lib/loggingSettings';
import type { SyslogLine } from '../../lib/syslog';
import type { EventLine } from '../store/eventLog';
import type { FeedEvent, HostFeed } from './hostFeed';
import { loggingLines } from './loggingLines';
import { octetCountedFrame, syslogMessage, udpDatagram } from './syslogFrame';
import { TcpFeed } from './tcpFeed';
import { UdpFeed } from './udpFeed';

export interface SyslogForwarderDeps {
  /** Lines each host's queue holds while it is unreachable (`EWC_SYSLOG_QUEUE_LINES`). */
  queueLines: number;
  /** The event log's listener hook: every line, as it is written. */
  onAppend(listener: (line: SyslogLine) => void): () => void;
  write(line: EventLine): void;
}

/**
 * Sends every event line that passes the trap level to each configured syslog host, as IOS does.
 * It keeps one feed per host (a bounded queue and its transport); a host that is down or slow
 * never holds up the event log or another host.
 */
export class SyslogForwarder {
  private settings: LoggingSettings = DEFAULT_LOGGING_SETTINGS;
  private feeds: HostFeed[] = [];
  private trapLinesLogged = 0;
  private reporting = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: SyslogForwarderDeps) {
    this.unsubscribe = deps.onAppend((line) => this.forward(line));
  }

  /** Takes new settings: feeds for hosts added start, feeds for hosts removed stop. Returns which. */
  apply(settings: LoggingSettings): { started: LoggingHost[]; stopped: LoggingHost[] } {
    const stopped = this.feeds.filter((feed) => !settings.hosts.some((host) => sameLoggingHost(host, feed.host)));
    for (const feed of stopped) feed.close();
    const kept = this.feeds.filter((feed) => !stopped.includes(feed));
    const started = settings.hosts.filter((host) => !kept.some((feed) => sameLoggingHost(feed.host, host)));
    this.settings = settings;
    // In the configured order, so show logging and the page list them as typed.
    this.feeds = settings.hosts.map((host) => kept.find((feed) => sameLoggingHost(feed.host, host)) ?? this.open(host));
    return { started, stopped: stopped.map((feed) => feed.host) };
  }

  view(): { trapLinesLogged: number; hosts: LoggingHostStatus[] } {
    return { trapLinesLogged: this.trapLinesLogged, hosts: this.feeds.map((feed) => feed.status()) };
  }

  close(): void {
    this.unsubscribe();
    for (const feed of this.feeds) feed.close();
    this.feeds = [];
  }

  private open(host: LoggingHost): HostFeed {
    const report = (event: FeedEvent) => this.report(host, event);
    return host.transport === 'tcp' ? new TcpFeed(host, this.deps.queueLines, report) : new UdpFeed(host, this.deps.queueLines, report);
  }

  private forward(line: SyslogLine): void {
    if (!passesTrap(line.severity, this.settings.trap)) return;
    this.trapLinesLogged += 1;
    if (this.feeds.length === 0) return;
    const message = syslogMessage(line, this.settings.facility);
    let datagram: Buffer | null = null;
    let frame: Buffer | null = null;
    for (const feed of this.feeds) {
      const bytes = feed.host.transport === 'tcp' ? (frame ??= octetCountedFrame(message)) : (datagram ??= udpDatagram(message));
      feed.enqueue(bytes, this.reporting);
    }
  }

  /**
   * A feed's news becomes an event line, written after the feed's own callback has returned (the line
   * comes back through `forward`). The line that reports a drop count passes a full queue.
   */
  private report(host: LoggingHost, event: FeedEvent): void {
    const line = event.kind === 'down' ? loggingLines.unreachable(host, event.reason, this.deps.queueLines) : loggingLines.reachable(host, event.dropped, this.deps.queueLines);
    queueMicrotask(() => {
      if (!this.feeds.some((feed) => sameLoggingHost(feed.host, host))) return;
      this.reporting = true;
      try {
        this.deps.write(line);
      } finally {
        this.reporting = false;
      }
    });
  }
}
