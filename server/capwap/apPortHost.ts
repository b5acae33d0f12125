import type { ApPortSettings, FromApPort, ToApPort } from './apPortProtocol';
import { ApLinks } from './apLinks';
import { ApPortServer } from './apPortServer';
import { Outbox } from './outbox';

/**
 * The AP connections' side of the AP port: the TLS server, the `/capwap` links and the image streams,
 * speaking only the messages of `apPortProtocol.ts`. It runs in the AP port's worker thread, or on the
 * console's own event loop when the worker is switched off (`EWC_AP_PORT_WORKER=0`): the same code
 * either way, so both modes admit, stream and refuse alike.
 */
export class ApPortHost {
  private readonly outbox: Outbox;
  private readonly server: ApPortServer;
  private readonly links: ApLinks;
  private readonly enrolments = new Map<number, (result: { status: number; body: unknown }) => void>();
  private nextEnrolment = 1;

  constructor(settings: ApPortSettings, send: (batch: FromApPort[]) => void) {
    this.outbox = new Outbox(send);
    this.server = new ApPortServer(
      settings,
      (line) => this.outbox.post({ type: 'log', line }),
      (body, source) =>
        new Promise((resolve) => {
          const id = this.nextEnrolment++;
          this.enrolments.set(id, resolve);
          this.outbox.post({ type: 'enrol', id, body, source });
        }),
    );
    this.links = new ApLinks(this.server.namespace, this.outbox, settings);
    this.server.listen(settings.port, settings.host).then(
      (listening) => this.outbox.post({ type: 'listening', port: listening }),
      (error: Error) => this.outbox.post({ type: 'listenFailed', message: error.message }),
    );
  }

  received(message: ToApPort): void {
    switch (message.type) {
      case 'admitted':
        return this.links.admitted(message.link, message.ok ? { ok: true } : { ok: false, reason: message.reason });
      case 'enrolled':
        this.enrolments.get(message.id)?.({ status: message.status, body: message.body });
        this.enrolments.delete(message.id);
        return;
      case 'request':
        return void this.links.request(message.id, message.link, message.request);
      case 'cancel':
        return this.links.cancel(message.id);
      case 'versionMismatch':
        return this.links.versionMismatch(message.link, message.controllerVersion);
      case 'disconnect':
        return this.links.disconnect(message.link);
      case 'stopping':
        return this.links.stopping(message.reason);
      case 'close':
        this.links.dispose();
        return void this.server.close().then(() => {
          this.outbox.post({ type: 'closed' });
          this.outbox.flush();
        });
    }
  }
}
