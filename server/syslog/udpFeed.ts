import dgram from 'node:dgram';
import type { LoggingHost } from '../../lib/loggingSettings';
import { HostFeed, type FeedEvent } from './hostFeed';

// After a probe, this long without an ICMP "port unreachable" counts as the host being back.
const PROBE_WINDOW_MS = 1000;
const EMPTY_PROBE = Buffer.alloc(0);

/**
 * Syslog over UDP, one datagram per line, as IOS sends it. UDP has no acknowledgment: the only sign of
 * a host that is down is the ICMP "port unreachable" its system answers, which the connected socket
 * reports (ECONNREFUSED). Then lines queue, and an empty datagram (which syslog servers ignore) probes
 * the host with back-off until no ICMP answer comes within a second. The datagram that met the closed
 * port is lost, as with any UDP syslog; a host that answers no ICMP at all loses every line it misses.
 */
export class UdpFeed extends HostFeed {
  private readonly socket: dgram.Socket;
  private sending = false;
  private probeTimer: NodeJS.Timeout | null = null;

  constructor(host: LoggingHost, queueLines: number, report: (event: FeedEvent) => void) {
    super(host, queueLines, report);
    this.socket = dgram.createSocket(host.address.includes(':') ? 'udp6' : 'udp4');
    this.socket.on('error', (error) => this.unreachable(error));
    this.socket.connect(host.port, host.address, () => this.markUp());
  }

  protected pump(): void {
    if (this.sending || this.link !== 'up' || this.queue.length === 0) return;
    this.sending = true;
    this.send(this.queue[0], (error) => {
      this.sending = false;
      if (this.closed) return;
      // An error here means the datagram did not leave: it stays first in the queue.
      if (error) return this.unreachable(error);
      this.sentOne();
      this.pump();
    });
  }

  protected retry(): void {
    this.link = 'connecting';
    this.send(EMPTY_PROBE, (error) => {
      if (this.closed || this.link !== 'connecting') return;
      if (error) return this.unreachable(error);
      this.probeTimer = setTimeout(() => {
        this.probeTimer = null;
        if (this.link === 'connecting') this.markUp();
      }, PROBE_WINDOW_MS);
      this.probeTimer.unref();
    });
  }

  protected shutdown(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.socket.close();
  }

  /** A socket whose connect failed throws on send rather than calling back: both end in the callback. */
  private send(datagram: Buffer, done: (error: Error | null) => void): void {
    try {
      this.socket.send(datagram, (error) => done(error ?? null));
    } catch (error) {
      setImmediate(() => done(error as Error));
    }
  }

  private unreachable(error: unknown): void {
    if (this.closed) return;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.markDown(error);
  }
}
