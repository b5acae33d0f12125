import type { PredownloadStatus } from '@/lib/predownloadStatus';
import type { BadgeTone } from '@/components/ui/Badge';

/** Colours chosen so a failing AP stands out in a fleet of hundreds of rows. */
export const PREDOWNLOAD_TONE: Record<PredownloadStatus, BadgeTone> = {
  None: 'neutral',
  Initiated: 'info',
  Downloading: 'info',
  Predownloading: 'info',
  Complete: 'success',
  Failed: 'danger',
  NotSupported: 'warning',
  Aborted: 'warning',
  Reloading: 'info',
  Joined: 'success',
};
