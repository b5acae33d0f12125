import type { ApImageRow } from '../../lib/apImage';

/** An AP as the controller keeps it: `show ap image`'s stored columns, and what the upgrade needs beside them. Live progress is not kept here. */
export interface AccessPointRecord extends Pick<
  ApImageRow,
  | 'mac'
  | 'name'
  | 'model'
  | 'imageType'
  | 'role'
  | 'primaryImage'
  | 'backupImage'
  | 'backupImageSha256'
  | 'predownloadStatus'
  | 'predownloadVersion'
  | 'retryCount'
  | 'nextRetryTime'
  | 'method'
  | 'hostsController'
  | 'lastError'
  | 'siteTag'
  | 'activationExcluded'
> {
  controllerPrimaryImage: string | null;
  controllerBackupImage: string | null;
  freeSpaceKb: number;
  upgradeId: number | null;
  lastSeenAt: string;
  /** MACs of the APs its clients roam to; kept out of the AP's wave where the fleet allows. */
  neighbors: string[];
}

/** An AP the controller has not upgraded yet: nothing predownloaded, no retry pending, not left out. */
export const FRESH_PREDOWNLOAD_STATE = {
  backupImageSha256: null,
  predownloadStatus: 'None',
  predownloadVersion: null,
  retryCount: 0,
  nextRetryTime: null,
  method: 'CAPWAP',
  lastError: null,
  upgradeId: null,
  activationExcluded: false,
} as const satisfies Partial<AccessPointRecord>;

/** What a transition may change beside the status itself. */
export interface TransitionChanges {
  predownloadVersion?: string | null;
  retryCount?: number;
  nextRetryTime?: string | null;
  lastError?: string | null;
  upgradeId?: number | null;
}
