import type { PredownloadStatus } from '../../lib/predownloadStatus';

/** An AP as the controller keeps it: identity, images and predownload state. Live progress is not kept here. */
export interface AccessPointRecord {
  mac: string;
  name: string;
  model: string;
  imageType: string;
  role: string;
  primaryImage: string;
  backupImage: string;
  backupImageSha256: string | null;
  controllerPrimaryImage: string | null;
  controllerBackupImage: string | null;
  hostsController: boolean;
  freeSpaceKb: number;
  predownloadStatus: PredownloadStatus;
  predownloadVersion: string | null;
  retryCount: number;
  nextRetryTime: string | null;
  method: string;
  lastError: string | null;
  upgradeId: number | null;
  lastSeenAt: string;
  /** The site tag the AP belongs to: a rolling activation never reloads every AP of one at once. */
  siteTag: string;
  /** MACs of the APs its clients roam to; kept out of the AP's wave where the fleet allows. */
  neighbors: string[];
  /** Set by the administrator: the AP sits out the activation (it keeps its predownloaded image). */
  activationExcluded: boolean;
}

/** What a transition may change beside the status itself. */
export interface TransitionChanges {
  predownloadVersion?: string | null;
  retryCount?: number;
  nextRetryTime?: string | null;
  lastError?: string | null;
  upgradeId?: number | null;
}
