import type { BeginReply, DataReply, EndReply, PrecheckReply, ReloadReply } from './capwapReplies';

/**
 * The controller <-> AP agent protocol, carried on the socket.io namespace `/capwap`.
 * Modelled on CAPWAP image data: the controller offers an image, the AP prechecks
 * its space, receives data blocks that it acknowledges, verifies the SHA-256 the
 * controller announced and stages the image as its backup image.
 */
export const CAPWAP_NAMESPACE = '/capwap';

/** What an AP says about itself when it joins (the socket.io handshake `auth`). */
export interface ApJoinInfo {
  name: string;
  mac: string;
  model: string;
  imageType: string;
  primaryVersion: string;
  backupVersion: string;
  freeSpaceKb: number;
  hostsController: boolean;
  /** For the AP that hosts the controller: the controller software it runs and holds as backup. */
  controllerPrimaryVersion?: string;
  controllerBackupVersion?: string;
  /** The AP's site tag; an AP that does not say is in the default site tag, as on the EWC. */
  siteTag?: string;
  /** MACs of neighbouring APs (clients roam between them). */
  neighbors?: string[];
}

export const DEFAULT_SITE_TAG = 'default-site-tag';

/** `ap` is the AP's own image; `controller` is the EWC image that the hosting AP stages. */
export type ImageKind = 'ap' | 'controller';

export interface ImageOffer {
  transferId: string;
  kind: ImageKind;
  fileName: string;
  version: string;
  size: number;
  sha256: string;
}

export interface ControllerToApEvents {
  'image:precheck': (offer: ImageOffer, ack: (reply: PrecheckReply) => void) => void;
  'image:begin': (offer: ImageOffer, ack: (reply: BeginReply) => void) => void;
  'image:data': (block: { transferId: string; offset: number; data: Buffer }, ack: (reply: DataReply) => void) => void;
  'image:end': (end: { transferId: string }, ack: (reply: EndReply) => void) => void;
  /** Drop every transfer under way and remove the partial files (a cancelled predownload). */
  'image:abort': (abort: { reason: string }, ack: () => void) => void;
  /** Swap primary and backup images and reload: the AP drops its connection and joins again. */
  'ap:reload': (ack: (reply: ReloadReply) => void) => void;
  /** The controller is stopping: why, just before the connection closes. The AP keeps its partial files and rejoins later. */
  'controller:stopping': (notice: { reason: string }) => void;
}

export interface ApToControllerEvents {
  /** A line of the AP's own CAPWAP log, forwarded to the controller's event log. */
  'ap:log': (line: string) => void;
}
