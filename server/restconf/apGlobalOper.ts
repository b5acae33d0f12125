import type { ApImageSummary } from '../../lib/apImage';

export const AP_GLOBAL_OPER = 'Cisco-IOS-XE-wireless-ap-global-oper';

/**
 * `predownload-stats` from the counters of `show ap image` (lib/apImage.ts), leaf by leaf. IOS prints
 * `show ap image`'s counter lines from this very grouping, so each line has its leaf:
 *
 * | leaf                         | `show ap image` line            | summary key               |
 * | ---------------------------- | ------------------------------- | ------------------------- |
 * | `num-initiated`              | Initiated                       | `initiated`               |
 * | `num-in-progress`            | Predownloading                  | `predownloading`          |
 * | `num-complete`               | Completed predownloading        | `completedPredownloading` |
 * | `num-unsupported`            | Not Supported                   | `notSupported`            |
 * | `num-failed`                 | Failed to Predownload           | `failedToPredownload`     |
 * | `is-predownload-in-progress` | Predownload in progress         | `predownloadInProgress`   |
 * | `num-total`                  | Total number of APs             | `totalAps`                |
 *
 * The two counters outside the grouping, `downloads-in-progress` (Downloading: the controller fetches
 * the AP's image from the image server) and `downloads-complete` (Completed downloading: the controller
 * holds it, the AP waits for a delivery slot), sit beside it in `ap-img-predownload-stats`. The console's
 * own Aborted, Reloading, Joined and None have no leaf, as IOS prints no line for them: those APs count
 * in `num-total` only.
 */
export function predownloadStats(summary: ApImageSummary) {
  return {
    'num-initiated': summary.initiated,
    'num-in-progress': summary.predownloading,
    'num-complete': summary.completedPredownloading,
    'num-unsupported': summary.notSupported,
    'num-failed': summary.failedToPredownload,
    'is-predownload-in-progress': summary.predownloadInProgress,
    'num-total': summary.totalAps,
  };
}

/**
 * `ap-global-oper-data` as far as the console knows it: `ap-img-predownload-stats` for the fleet and,
 * in `wlc-predownload-stats`, the same counters over the APs that host the controller, the ones the
 * controller image (`C9800-AP-iosxe-wlc.bin`) is predownloaded to.
 */
export function apGlobalOperData(fleet: ApImageSummary, controllerHosts: ApImageSummary) {
  return {
    'ap-img-predownload-stats': {
      'predownload-stats': predownloadStats(fleet),
      'downloads-in-progress': fleet.downloading,
      'downloads-complete': fleet.completedDownloading,
      'wlc-predownload-stats': predownloadStats(controllerHosts),
    },
  };
}
