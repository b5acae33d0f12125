import type { ImageKind } from '../../lib/capwapEvents';
import { CONTROLLER_IMAGE_FILE } from '../../lib/imageBundle';
import { targetsMatcher, type TargetFields } from '../../lib/rollout';
import { runsVersion } from '../../lib/upgradeOutcome';
import type { ImageFetchProgress } from '../../lib/upgradeStage';
import type { CachedImage, ImageCache } from '../imageSource/imageCache';
import type { ImageSource } from '../imageSource/imageSource';
import type { UpgradeRecord } from '../store/upgradeRepository';
import type { BundleHold } from './bundleHold';
import { DeliveryQueue } from './deliveryQueue';

/** One bundle file to fetch once and deliver to a set of APs. */
export interface ImageJob {
  fileName: string;
  kind: ImageKind;
  /** The image type it serves (`ap1g7`), or null for the controller image. */
  imageType: string | null;
  /** Set once the file is in the cache. */
  image: CachedImage | null;
  /** What the run recorded of the file when it was fetched (a resumed run, before it has the file again): what an AP holds of it is measured against it. */
  recorded?: { size: number; sha256: string };
  /** The APs of this upgrade that still need this file. */
  readonly macs: Set<string>;
}

/** The job of one image kind for an AP image type: its bundle file, nothing fetched, nobody waiting yet. */
export function newImageJob(kind: ImageKind, imageType: string): ImageJob {
  return { fileName: kind === 'controller' ? CONTROLLER_IMAGE_FILE : imageType, kind, imageType: kind === 'controller' ? null : imageType, image: null, macs: new Set() };
}

/** A delivery waiting for its slot, and how to tell whoever waits for it that it ended. */
export interface DeliveryTicket {
  job: ImageJob;
  done: () => void;
}

/** The images an AP of a run receives: its AP image, and the controller image too when it hosts the controller. */
export function imageKindsFor(ap: { hostsController: boolean }): ImageKind[] {
  return ap.hostsController ? ['ap', 'controller'] : ['ap'];
}

/** The in-memory side of one running upgrade: what cannot be a row in the store. */
export class UpgradeRun {
  readonly abort = new AbortController();
  readonly jobs: ImageJob[] = [];
  /** The image kinds each enrolled AP still has to receive. */
  readonly pending = new Map<string, Set<ImageKind>>();
  readonly retryTimers = new Map<string, NodeJS.Timeout>();
  /** Bytes fetched so far of each file being fetched from the image server. */
  readonly fetches = new Map<string, ImageFetchProgress>();
  readonly deliveries: DeliveryQueue<DeliveryTicket>;
  /** Bytes each AP acknowledged per image (`imageKey`): an AP may not ask to resume beyond them. */
  readonly sentBytes = new Map<string, number>();
  /**
   * The deliveries (`imageKey`) started and not ended, from the offer to the AP's verdict. The AP hosting the
   * controller stays Predownloading while one of its images is in one: its last bytes may be acknowledged while the
   * AP still checks the image, and the AP's row must not fall back to Downloading meanwhile.
   */
  readonly delivering = new Set<string>();
  attempt = 0;
  targetVersion: string | null = null;
  targetControllerVersion: string | null = null;
  /**
   * Whether the run has enrolled the APs connected as it leaves Initiate. Until then an AP that joins is
   * left to that enrolment, which starts every job: enrolled and started on its own as well, it would be
   * sent the same image twice at once.
   */
  enrolled = false;
  /** An unsigned bundle waiting for an admin's trust of its files (EWC_REQUIRE_SIGNED_IMAGES=ask); null when its signature vouches for it, or nothing may. */
  hold: BundleHold | null = null;
  /** Settles once the run knows whether its bundle waits for an admin's trust: the CLI's `ap image predownload` answers then. */
  readonly trustKnown: Promise<void>;
  private settleTrust!: () => void;
  /** Whether an AP is one of this predownload's targets; the others are left untouched. */
  isTarget: (ap: TargetFields) => boolean = () => true;
  /** A targeted AP the run leaves out: a scheduled run does not take an AP that already runs its version (its backup image stays). */
  leavesOut: (ap: { primaryImage: string }) => boolean = () => false;

  /** Whether the AP has received some of its images of this run, and still waits for another (the hosting AP between its two). */
  receivedPart(ap: { mac: string; hostsController: boolean }): boolean {
    const owed = this.pending.get(ap.mac)?.size ?? 0;
    return owed > 0 && owed < imageKindsFor(ap).length;
  }

  constructor(
    readonly id: number,
    readonly source: ImageSource,
    readonly cache: ImageCache,
    readonly parallelMode: boolean,
    maxConcurrentDeliveries: number,
    deliver: (mac: string, ticket: DeliveryTicket) => Promise<void>,
    /** The slots' counts changed: the upgrade's view shows them (`Delivering to N AP(s) at once …`). */
    deliveriesChanged: () => void = () => undefined,
  ) {
    this.deliveries = new DeliveryQueue(maxConcurrentDeliveries, ({ mac, item }) => deliver(mac, item).finally(item.done), deliveriesChanged);
    this.trustKnown = new Promise((resolve) => (this.settleTrust = resolve));
    this.abort.signal.addEventListener('abort', () => this.settleTrust());
  }

  /** Takes its targets from the upgrade's row, so that a resumed run keeps them. */
  targetsFrom(record: Pick<UpgradeRecord, 'targets' | 'startedVia' | 'targetVersion'> | null): void {
    this.isTarget = targetsMatcher(record?.targets ?? null);
    // A scheduled predownload cannot ask whether to replace a backup image: it leaves out the APs that run its version.
    const kept = record?.startedVia === 'schedule' ? record.targetVersion : null;
    this.leavesOut = (ap) => kept !== null && runsVersion(ap, kept);
  }

  /** The bundle's signature was read and, when it has none, its files fetched and held or found trusted. */
  trustDecided(): void {
    this.settleTrust();
  }

  get cancelled(): boolean {
    return this.abort.signal.aborted;
  }

  jobFor(kind: ImageKind, imageType: string): ImageJob | undefined {
    return this.jobs.find((job) => job.kind === kind && (kind === 'controller' || job.imageType === imageType));
  }

  nextTransferId(mac: string, kind: ImageKind): string {
    this.attempt += 1;
    return `${this.id}-${kind}-${mac}-${this.attempt}`;
  }

  clearRetry(mac: string): void {
    const timer = this.retryTimers.get(mac);
    if (timer) clearTimeout(timer);
    this.retryTimers.delete(mac);
  }

  /** The run stops acting: what is in flight is aborted, and nothing waiting starts. */
  stop(): void {
    this.abort.abort();
    this.dispose();
  }

  /** Stops everything still waiting: retry timers and queued deliveries (whose waiters are released). */
  dispose(): void {
    this.settleTrust();
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    for (const { item } of this.deliveries.clear()) item.done();
  }
}
