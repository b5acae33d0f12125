import type { ApJoinInfo, ImageOffer } from '../../lib/capwapEvents';
import type { EndReply, PrecheckReply, ReloadReply } from '../../lib/capwapReplies';
import { ApSessionError, type SessionEndpoints } from './apPortProtocol';
import type { CapwapPort } from './capwapPort';

export { ApSessionError, type SessionEnd, type SessionEndpoints } from './apPortProtocol';

export interface DeliveryOptions {
  signal: AbortSignal;
  /** Called with the bytes the AP acknowledged so far. */
  onAcknowledged: (bytes: number) => void;
  /** The furthest an AP may ask to resume: what this controller already sent it, or the image size. */
  maxResumeOffset: number;
}

/**
 * The controller's side of one AP's connection, as the console holds it. The connection itself lives
 * on the AP port's side (a worker thread by default): every request goes there and comes back as a
 * reply parsed there (and, for a delivery, checked block by block). It moves image bytes without
 * touching them, and knows nothing about where they came from (TFTP, SFTP): the AP port reads them from
 * the cache file it is given.
 */
export class ApSession {
  private open = true;

  constructor(
    readonly info: ApJoinInfo,
    /** The AP port's id of this connection. */
    readonly link: number,
    /** The AP's address and port as the AP port sees them, and the controller's: read at the join, as a closed socket no longer has them. */
    readonly endpoints: SessionEndpoints,
    /** The address the AP's connection comes from (behind a NAT, the NAT's), as an administrator writes it. */
    readonly address: string,
    private readonly port: CapwapPort,
  ) {}

  get connected(): boolean {
    return this.open;
  }

  /** The AP port said the connection is gone. */
  left(): void {
    this.open = false;
  }

  precheck(offer: ImageOffer): Promise<PrecheckReply> {
    return this.request(() => this.port.request(this.link, { op: 'precheck', offer }));
  }

  /** Streams the cached file to the AP in a bounded window of acknowledged blocks; resolves with the AP's verification. */
  deliver(offer: ImageOffer, filePath: string, options: DeliveryOptions): Promise<EndReply> {
    if (options.signal.aborted) return Promise.reject(new ApSessionError('Cancelled'));
    return this.request(() => this.port.request(this.link, { op: 'deliver', offer, filePath, maxResumeOffset: options.maxResumeOffset }, options));
  }

  /** Tells the AP to drop its transfers and remove its partial files (`cannotStart`: a download at join that could not start). Best effort: the AP may be gone. */
  async abort(reason: string, cannotStart = false): Promise<void> {
    if (!this.open) return;
    await this.port.request(this.link, { op: 'abort', reason, cannotStart }).catch(() => undefined);
  }

  /** At join: the AP runs another AP image than the controller's, and is about to be given it. */
  announceVersionMismatch(controllerVersion: string): void {
    if (this.open) this.port.versionMismatch(this.link, controllerVersion);
  }

  reload(): Promise<ReloadReply> {
    return this.request(() => this.port.request(this.link, { op: 'reload' }));
  }

  private async request<T>(send: () => Promise<T>): Promise<T> {
    if (!this.open) throw new ApSessionError('AP is not connected');
    return send();
  }
}
