import { z } from 'zod';
import { apString, softwareVersion } from './apText';
import { macSchema } from './macAddress';
import type { BeginReply, DataReply, EndReply, PrecheckReply, ReloadReply } from './capwapReplies';

/**
 * The controller <-> AP agent protocol, carried on the socket.io namespace `/capwap`.
 * Modelled on CAPWAP image data: the controller offers an image, the AP prechecks
 * its space, receives data blocks that it acknowledges, verifies the SHA-256 the
 * controller announced and stages the image as its backup image.
 * The namespace lives on the AP port (`EWC_CAPWAP_PORT`, mutual TLS), never on the browsers' HTTP port.
 */
export const CAPWAP_NAMESPACE = '/capwap';

/** The enrolment route on the AP port (`EWC_CAPWAP_PORT`): an AP trades a token and a CSR for a certificate bound to its MAC. */
export const ENROL_PATH = '/enrol';

/**
 * An image the AP holds, as far as it got: the whole of one it verified and staged, or the bytes of one whose
 * transfer was interrupted (the link dropped, the controller restarted). Offered the same image (its SHA-256),
 * the AP resumes there.
 */
export const heldImageSchema = z.object({
  kind: z.enum(['ap', 'controller']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type HeldImage = z.output<typeof heldImageSchema>;

/** What an AP says about itself when it joins (the socket.io handshake `auth`); every string is checked, the MAC normalised. */
export const apJoinInfoSchema = z.object({
  name: apString(64),
  mac: macSchema,
  model: apString(64),
  imageType: apString(32),
  primaryVersion: apString(64),
  backupVersion: apString(64, 0),
  freeSpaceKb: z
    .number()
    .int()
    .min(0)
    .max(2 ** 40),
  hostsController: z.boolean(),
  /** For the AP that hosts the controller: the controller software it runs and holds as backup. */
  controllerPrimaryVersion: softwareVersion(0).optional(),
  controllerBackupVersion: softwareVersion(0).optional(),
  /** The AP's site tag; an AP that does not say is in the default site tag, as on the EWC. */
  siteTag: apString(64).optional(),
  /** MACs of neighbouring APs (clients roam between them). */
  neighbors: z.array(macSchema).max(64).optional(),
  /** What it holds of the images it was given (a partial and a staged one of each kind at most): a resumed run shows it until the delivery restarts. */
  heldImages: z.array(heldImageSchema).max(4).optional(),
});
export type ApJoinInfo = z.output<typeof apJoinInfoSchema>;

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
  /** What vouches for the image; the AP checks it again before it stages the image, and says which it checked. */
  verification: ImageVerification;
  /**
   * A download at join (the seed's `IsPre 0`): the AP installs the image as its primary image and reloads to
   * run it. Absent for a predownload, which stages the image as the backup image (`IsPre 1`).
   */
  primary?: boolean;
}

/**
 * What vouches for an image: the bundle's vendor-signed manifest (the AP verifies the signature with
 * its own vendor keys and the image against the manifest), an admin's recorded trust of its SHA-256
 * (an unsigned Desktop upload, or an unsigned bundle's file an admin approved), or its SHA-256 alone (an unsigned
 * bundle under EWC_REQUIRE_SIGNED_IMAGES=0).
 */
export type ImageVerification = { method: 'signature'; signed: SignedManifest } | { method: 'trusted-digest'; sha256: string; trustedBy: string; trustedAt: string } | { method: 'sha256-only' };

/** A bundle's signature manifest as the controller read it from the image server (see server/imageSigning). */
export interface SignedManifest {
  /** The manifest file's exact text, as signed. */
  manifest: string;
  /** Base64 Ed25519 signature over the manifest's bytes. */
  signature: string;
}

export interface ControllerToApEvents {
  'image:precheck': (offer: ImageOffer, ack: (reply: PrecheckReply) => void) => void;
  'image:begin': (offer: ImageOffer, ack: (reply: BeginReply) => void) => void;
  'image:data': (block: { transferId: string; offset: number; data: Buffer }, ack: (reply: DataReply) => void) => void;
  'image:end': (end: { transferId: string }, ack: (reply: EndReply) => void) => void;
  /**
   * Drop every transfer under way and remove the partial files (a cancelled predownload). `cannotStart`: a download
   * at join whose image the controller could not get; the AP restarts its CAPWAP image state and waits for the next try.
   */
  'image:abort': (abort: { reason: string; cannotStart?: boolean }, ack: () => void) => void;
  /** At join: the AP runs another AP image than the controller's, which gives it its own; the AP enters the Image Data state. */
  'image:version-mismatch': (notice: { controllerVersion: string }) => void;
  /** Swap primary and backup images and reload: the AP drops its connection and joins again. */
  'ap:reload': (ack: (reply: ReloadReply) => void) => void;
  /** The controller is stopping: why, just before the connection closes. The AP keeps its partial files and rejoins later. */
  'controller:stopping': (notice: { reason: string }) => void;
}

export interface ApToControllerEvents {
  /** A line of the AP's own CAPWAP log, forwarded to the controller's event log. */
  'ap:log': (line: string) => void;
}
