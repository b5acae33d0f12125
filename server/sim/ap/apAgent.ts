import { createHash, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import type { ApJoinInfo, ImageKind, ImageOffer } from '../../../lib/capwapEvents';
import { apLogText } from '../../../lib/apLogText';
import { normalizeMac } from '../../../lib/macAddress';
import { verifyOfferedImage } from '../../imageSigning/imageVerification';
import { ensureApCredentials, retryDelayFor, type ApCredentials, type ControllerTrust } from './apCredentials';
import { connectToControllers, type ControllerSocket } from './controllerConnection';
import { ControllerList } from './controllerList';
import { precheckSpace, type Transfer } from './apTransfer';
import type { FleetAp } from './fleetSpec';
import { ApStorage, type ApImageSlots } from './apStorage';
import { bootApBackupImage } from './imageSlots';
import { ConnectionReplies } from './connectionReplies';
import { InOrder } from './inOrder';
import { LinkThrottle } from './linkThrottle';

export interface ApAgentOptions {
  /** The AP ports of its controllers, `https://HOST:EWC_CAPWAP_PORT`: primary, then secondary and tertiary (1 to 3). */
  controllerUrls: string[];
  /** The controller's CA and the token the AP enrols with on its first start. */
  trust: ControllerTrust;
  /** The vendor public keys the AP verifies signed images with (its firmware's trust store). */
  vendorKeys: KeyObject[];
  ap: FleetAp;
  storageDir: string;
  /** Link rate in kbit/s; 0 is unlimited. */
  linkKbps: number;
  /** How long the AP stays away while it reloads. */
  reloadMs: number;
  /**
   * False for load tests: the AP verifies every byte (SHA-256) but keeps only the digest, not the
   * image file, so thousands of APs fit on one disk. It cannot resume a transfer then.
   */
  keepImages?: boolean;
}

const stoppingNoticeSchema = z.object({ reason: z.string().max(500) });

/**
 * A simulated access point: its own connection to the controller, its own storage.
 * It checks its space, writes the image blocks it receives, verifies the SHA-256
 * the controller announced, and only then reports the image as its backup image.
 */
export class ApAgent {
  private socket: ControllerSocket | null = null;
  private readonly controllers: ControllerList;
  private readonly storage: ApStorage;
  private slots: ApImageSlots;
  private readonly transfers = new Map<string, Transfer>();
  // Begin and abort, one after the other as they came: an abort never removes the file of a transfer begun after it (a predownload right after a cancel).
  private readonly control = new InOrder();
  private readonly throttle: LinkThrottle;
  private stopped = false;
  private reloadTimer: NodeJS.Timeout | null = null;
  private received: number;
  /** Why the controller last said it was stopping, if it did. */
  controllerNotice: string | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private credentials: ApCredentials | null = null;

  constructor(private readonly options: ApAgentOptions) {
    this.controllers = new ControllerList(options.controllerUrls, `AP ${options.ap.name}: its controllers`);
    this.storage = new ApStorage(options.storageDir);
    this.slots = this.storage.load({
      primaryVersion: options.ap.primaryVersion,
      backupVersion: options.ap.backupVersion,
      backupSha256: null,
      controllerPrimaryVersion: options.ap.controllerPrimaryVersion,
      controllerBackupVersion: options.ap.controllerBackupVersion,
    });
    this.throttle = new LinkThrottle(options.linkKbps);
    this.received = this.storage.bytesReceived();
  }

  /** Every image byte this AP wrote to its flash, across restarts of the agent. */
  get bytesReceived(): number {
    return this.received;
  }

  get name(): string {
    return this.options.ap.name;
  }

  /** In the controller's form, `xxxx.xxxx.xxxx`, whatever form the fleet file used. */
  get mac(): string {
    return normalizeMac(this.options.ap.mac) ?? this.options.ap.mac;
  }

  /** The controller the AP has joined, or null while it has none. */
  get controller(): string | null {
    return this.controllers.joined?.url ?? null;
  }

  get imageType(): string {
    return this.options.ap.imageType;
  }

  get images(): Readonly<ApImageSlots> {
    return this.slots;
  }

  /** Enrols on the first start, then joins the controller; resolves once the controller accepted the join. */
  async start(): Promise<void> {
    this.stopped = false;
    this.credentials ??= await ensureApCredentials(this.options.storageDir, this.mac, this.controllers.urls, this.options.trust);
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.disconnect();
    this.socket = null;
    this.controllers.restart();
    await this.dropTransfers();
  }

  private joinInfo(): ApJoinInfo {
    const { ap } = this.options;
    return {
      name: ap.name,
      mac: this.mac,
      model: ap.model,
      imageType: ap.imageType,
      primaryVersion: this.slots.primaryVersion,
      backupVersion: this.slots.backupVersion,
      freeSpaceKb: ap.freeSpaceKb,
      hostsController: ap.hostsController ?? false,
      controllerPrimaryVersion: this.slots.controllerPrimaryVersion,
      controllerBackupVersion: this.slots.controllerBackupVersion,
      siteTag: ap.siteTag,
      neighbors: ap.neighbors,
      heldImages: this.keepImages ? this.storage.heldImages(this.slots) : undefined,
    };
  }

  private connect(): Promise<void> {
    const socket = connectToControllers(
      this.controllers,
      this.credentials!,
      () => this.joinInfo(),
      (line) => this.log(line),
    );
    this.socket = socket;
    socket.on('image:precheck', (offer, ack) => ack(this.precheck(offer)));
    // Each reply goes back on the connection its request came on, or not at all.
    const replies = new ConnectionReplies();
    socket.on('connect', () => replies.connected());
    socket.on('image:begin', (offer, ack) =>
      replies.answer(
        ack,
        this.control.run(() => this.begin(offer)),
        (message) => ({ ok: false, offset: 0, message }),
      ),
    );
    socket.on('image:data', (block, ack) => replies.answer(ack, this.receive(block.transferId, block.offset, block.data), (message) => ({ ok: false, received: 0, message })));
    socket.on('image:end', ({ transferId }, ack) => replies.answer(ack, this.finish(transferId), (message) => ({ ok: false, sha256: '', message })));
    socket.on('image:abort', ({ reason, cannotStart }, ack) => void this.control.run(() => this.abort(reason, cannotStart === true)).then(ack, () => ack()));
    socket.on('image:version-mismatch', ({ controllerVersion }) => apLogText.versionMismatch(this.slots, String(controllerVersion).slice(0, 64)).forEach((line) => this.log(line)));
    socket.on('ap:reload', (ack) => this.reload(ack));
    socket.on('controller:stopping', (notice) => {
      const parsed = stoppingNoticeSchema.safeParse(notice);
      this.controllerNotice = parsed.success ? parsed.data.reason : 'the controller is stopping (no reason given)';
    });
    // A dropped link ends any transfer under way; the partial file stays so the controller can resume it.
    socket.on('disconnect', () => void this.dropTransfers());
    let refusals = 0;
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.on('connect_error', (error) => {
        // While the link is down socket.io retries by itself; a refused join needs a decision.
        if (socket.active) return;
        const delayMs = retryDelayFor(error.message, refusals++);
        if (delayMs === null || this.stopped) {
          reject(error);
          return;
        }
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          if (!this.stopped) socket.connect();
        }, delayMs);
      });
    });
  }

  /** The controller an offer came from: it comes on a joined link, and one begun as the link dropped still names it. */
  private get joinedUrl(): string {
    return this.controllers.lastJoined ?? this.controllers.urls[0];
  }

  private log(line: string): void {
    this.socket?.emit('ap:log', line);
  }

  private precheck(offer: ImageOffer) {
    const space = precheckSpace(offer, this.options.ap.freeSpaceKb);
    this.log(apLogText.script('PRECHECK'));
    this.log(`status '${space.message}'`);
    return space;
  }

  private get keepImages(): boolean {
    return this.options.keepImages ?? true;
  }

  private async begin(offer: ImageOffer) {
    // One transfer per image at a time: a newer offer of the same image takes over its partial file, and the
    // older one ends "Transfer aborted" rather than renaming or removing a file it no longer owns.
    await this.dropTransfers((transfer) => transfer.offer.kind === offer.kind);
    if (!this.keepImages) {
      this.transfers.set(offer.transferId, { offer, file: null, received: 0, hash: createHash('sha256'), writing: Promise.resolve(), dropped: false });
      this.log(apLogText.imageDataRequest(this.joinedUrl, offer.fileName, ' (digest only: the image is verified, not kept)'));
      return { ok: true, offset: 0, message: 'AC accepted previous sent request with result code: 0' };
    }
    const staged = offer.kind === 'ap' ? this.slots.backupSha256 : this.slots.controllerBackupSha256;
    if (staged === offer.sha256 && fs.existsSync(this.storage.backupPath(offer.kind))) {
      this.transfers.set(offer.transferId, { offer, file: null, received: offer.size, hash: createHash('sha256'), writing: Promise.resolve(), dropped: false, alreadyStaged: true });
      this.log(apLogText.imageDataRequest(this.joinedUrl, offer.fileName, ': already staged and verified, nothing to receive'));
      return { ok: true, offset: offer.size, message: 'AC accepted previous sent request with result code: 0' };
    }
    const partial = this.storage.partialPath(offer.kind);
    const metaPath = `${partial}.json`;
    let offset = 0;
    const previous = fs.existsSync(metaPath) ? (JSON.parse(fs.readFileSync(metaPath, 'utf8')) as { sha256: string }) : null;
    if (previous?.sha256 === offer.sha256 && fs.existsSync(partial)) {
      offset = Math.min(fs.statSync(partial).size, offer.size);
    } else {
      fs.rmSync(partial, { force: true });
      fs.writeFileSync(metaPath, JSON.stringify({ sha256: offer.sha256, version: offer.version }));
    }
    const file = await fs.promises.open(partial, offset > 0 ? 'r+' : 'w');
    await file.truncate(offset);
    const hash = createHash('sha256');
    if (offset > 0) {
      for await (const chunk of fs.createReadStream(partial, { end: offset - 1 })) hash.update(chunk as Buffer);
    }
    this.transfers.set(offer.transferId, { offer, file, received: offset, hash, writing: Promise.resolve(), dropped: false });
    this.log(`wtpOpenImgFile: request ${offer.fileName}, local ${partial}`);
    this.log(apLogText.imageDataRequest(this.joinedUrl, offer.fileName, offset > 0 ? `, resuming at ${offset}` : ''));
    return { ok: true, offset, message: 'AC accepted previous sent request with result code: 0' };
  }

  private async receive(transferId: string, offset: number, data: Buffer) {
    const transfer = this.transfers.get(transferId);
    if (!transfer) return { ok: false, received: 0, message: 'No transfer in progress' };
    const write = transfer.writing.then(async () => {
      if (transfer.dropped) throw new Error('Transfer aborted');
      if (offset !== transfer.received) throw new Error(`Out-of-order block at ${offset}, expected ${transfer.received}`);
      await this.throttle.pass(data.length);
      if (transfer.dropped) throw new Error('Transfer aborted');
      await transfer.file?.write(data, 0, data.length, offset);
      transfer.hash.update(data);
      transfer.received += data.length;
      this.received += data.length;
      if (transfer.file) this.storage.addReceived(this.received);
    });
    transfer.writing = write.catch(() => undefined);
    try {
      await write;
      return { ok: true, received: transfer.received, message: '' };
    } catch (error) {
      return { ok: false, received: transfer.received, message: (error as Error).message };
    }
  }

  private async finish(transferId: string) {
    const transfer = this.transfers.get(transferId);
    if (!transfer) return { ok: false, sha256: '', message: 'No transfer in progress' };
    await Promise.all([transfer.writing, this.options.ap.verifyDelayMs && new Promise((resolve) => setTimeout(resolve, this.options.ap.verifyDelayMs))]);
    await transfer.file?.close().catch(() => undefined);
    this.transfers.delete(transferId);
    // A link that dropped or an abort while the file closed: its partial file is no longer this transfer's
    // (an abort removed it, a resumed transfer writes it again), so it is neither verified nor staged.
    if (transfer.dropped) return { ok: false, sha256: '', message: 'Transfer aborted' };
    const { offer } = transfer;
    if (transfer.alreadyStaged) {
      // Checked again against what vouches for it now: the words say what this offer's check found.
      const again = verifyOfferedImage(offer.verification, this.options.vendorKeys, offer.fileName, offer.size, offer.sha256);
      this.log(`status '${again.ok ? again.value : again.reason}' (staged before)`);
      if (again.ok) this.bootIfPrimary(offer);
      return again.ok ? { ok: true, sha256: offer.sha256, message: again.value } : { ok: false, sha256: offer.sha256, message: again.reason };
    }
    const partial = this.storage.partialPath(offer.kind);
    const sha256 = transfer.hash.digest('hex');
    // A predownload stages the image as the backup image (IsPre 1); a download at join installs it as the primary one (IsPre 0).
    this.log(`${transfer.received} bytes`);
    this.log(apLogText.lastBlockStored(offer.primary !== true));
    this.log(apLogText.transferCompleted());
    if (transfer.received !== offer.size || sha256 !== offer.sha256) {
      fs.rmSync(partial, { force: true });
      fs.rmSync(`${partial}.json`, { force: true });
      const message = `Image signing verify failed: got ${transfer.received} bytes sha256 ${sha256}, expected ${offer.size} bytes sha256 ${offer.sha256}`;
      this.log(`status '${message}'`);
      return { ok: false, sha256, message };
    }
    // Against what vouches for it (a vendor signature, an admin's trust of its digest, or SHA-256 only), with this AP's own keys.
    const signing = verifyOfferedImage(offer.verification, this.options.vendorKeys, offer.fileName, transfer.received, sha256);
    if (!signing.ok) {
      fs.rmSync(partial, { force: true });
      fs.rmSync(`${partial}.json`, { force: true });
      this.log(`status '${signing.reason}'`);
      return { ok: false, sha256, message: signing.reason };
    }
    if (transfer.file) {
      fs.renameSync(partial, this.storage.backupPath(offer.kind));
      fs.rmSync(`${partial}.json`, { force: true });
    }
    this.stage(offer.kind, offer.version, sha256);
    if (offer.primary) this.log(apLogText.writeToStorage(offer.fileName));
    this.log(apLogText.script('PREDOWNLOAD'));
    this.log(`status '${signing.value}'`);
    this.bootIfPrimary(offer);
    return { ok: true, sha256, message: signing.value };
  }

  private stage(kind: ImageKind, version: string, sha256: string): void {
    if (kind === 'ap') this.slots = { ...this.slots, backupVersion: version, backupSha256: sha256 };
    else this.slots = { ...this.slots, controllerBackupVersion: version, controllerBackupSha256: sha256 };
    this.storage.save(this.slots);
  }

  private async abort(reason: string, cannotStart: boolean): Promise<void> {
    if (cannotStart) this.log(apLogText.restartCannotStart());
    await this.dropTransfers();
    for (const kind of ['ap', 'controller'] as const) {
      fs.rmSync(this.storage.partialPath(kind), { force: true });
      fs.rmSync(`${this.storage.partialPath(kind)}.json`, { force: true });
    }
    this.log(`Aborting image download: ${reason}`);
    this.log(apLogText.script('ABORT'));
    this.log(apLogText.cleanup());
  }

  private async dropTransfers(which: (transfer: Transfer) => boolean = () => true): Promise<void> {
    const transfers = [...this.transfers.values()].filter(which);
    for (const transfer of transfers) this.transfers.delete(transfer.offer.transferId);
    for (const transfer of transfers) transfer.dropped = true;
    for (const transfer of transfers) {
      await transfer.writing;
      await transfer.file?.close().catch(() => undefined);
    }
  }

  private reload(ack: (reply: { ok: boolean; message: string }) => void): void {
    const { slots } = this;
    if (!slots.backupSha256 && slots.backupVersion === slots.primaryVersion) {
      ack({ ok: false, message: 'No backup image to activate' });
      return;
    }
    if (this.options.ap.failReload) {
      // Simulates an image that does not boot: the AP falls back and joins again on the version it ran.
      ack({ ok: true, message: `Reloading to ${slots.backupVersion}` });
      this.log(`Reloading: booting ${slots.backupVersion} failed, falling back to ${slots.primaryVersion}`);
      this.leaveAndRejoin();
      return;
    }
    const swapped = bootApBackupImage(this.storage, slots);
    if (this.options.ap.hostsController && slots.controllerBackupVersion) {
      this.storage.swap('controller');
      swapped.controllerPrimaryVersion = slots.controllerBackupVersion;
      swapped.controllerBackupVersion = slots.controllerPrimaryVersion;
      swapped.controllerBackupSha256 = null;
    }
    this.slots = swapped;
    this.storage.save(swapped);
    ack({ ok: true, message: `Reloading to ${swapped.primaryVersion}` });
    this.log(`Reloading: booting ${swapped.primaryVersion}`);
    this.leaveAndRejoin();
  }

  /** After a download at join, the image in its backup partition is the one the AP boots (after its reply is sent), as the seed's AP does. */
  private bootIfPrimary(offer: ImageOffer): void {
    if (!offer.primary || offer.kind !== 'ap') return;
    setImmediate(() => {
      if (this.stopped || !this.socket) return;
      this.slots = bootApBackupImage(this.storage, this.slots);
      this.storage.save(this.slots);
      this.log(`Reloading: booting ${this.slots.primaryVersion}`);
      this.leaveAndRejoin();
    });
  }

  private leaveAndRejoin(): void {
    const socket = this.socket;
    // Leave after the ack is on the wire, as an AP's reload drops its CAPWAP tunnel.
    setTimeout(() => {
      socket?.disconnect();
      this.socket = null;
      // A rebooted AP looks for its controllers again from the primary.
      this.controllers.restart();
      this.reloadTimer = setTimeout(() => {
        this.reloadTimer = null;
        if (!this.stopped) void this.connect().catch(() => undefined);
      }, this.options.reloadMs);
    }, 50);
  }
}
