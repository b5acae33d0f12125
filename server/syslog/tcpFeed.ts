import net from 'node:net';
import type { LoggingHost } from '../../lib/loggingSettings';
import { HostFeed, type FeedEvent } from './hostFeed';

// A connection that does not complete in this time is a host that is down.
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Syslog over TCP with octet-counted frames (RFC 6587). A frame leaves the queue once written to the
 * connection; a connection that fails or closes is reconnected with back-off, the queue waiting.
 * A frame written just before a connection broke may be lost with it: TCP tells the writer nothing of
 * what the peer read (RELP would), as with IOS.
 */
export class TcpFeed extends HostFeed {
  private socket: net.Socket | null = null;
  private waitingForDrain = false;

  constructor(host: LoggingHost, queueLines: number, report: (event: FeedEvent) => void) {
    super(host, queueLines, report);
    this.connect();
  }

  protected pump(): void {
    const socket = this.socket;
    if (!socket || this.link !== 'up' || this.waitingForDrain) return;
    while (this.queue.length > 0) {
      const flushed = socket.write(this.queue[0]);
      this.sentOne();
      if (!flushed) {
        // The kernel's buffer is full: the queue, bounded, waits rather than Node's unbounded write buffer.
        this.waitingForDrain = true;
        socket.once('drain', () => {
          this.waitingForDrain = false;
          this.pump();
        });
        return;
      }
    }
  }

  protected retry(): void {
    this.connect();
  }

  protected shutdown(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): void {
    this.link = 'connecting';
    this.waitingForDrain = false;
    const socket = net.createConnection({ host: this.host.address, port: this.host.port, timeout: CONNECT_TIMEOUT_MS });
    this.socket = socket;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed || this.socket !== socket) return;
      failed = true;
      socket.destroy();
      this.socket = null;
      this.markDown(error);
    };
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.setTimeout(0);
      // A peer that vanishes without a FIN is found by keep-alive probes rather than never.
      socket.setKeepAlive(true, 30_000);
      this.markUp();
    });
    socket.once('timeout', () => fail(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })));
    socket.on('error', fail);
    // The server closing its side (a restart) ends the connection: reconnect.
    socket.once('close', () => fail(null));
    // Syslog servers send nothing back; whatever comes is read and discarded so it cannot fill a buffer.
    socket.on('data', () => undefined);
  }
}
