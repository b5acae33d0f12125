import { stripBrackets } from './netAddress';

/**
 * What an AP logs of an image download, in the words of the seed's AP-side CAPWAP log, each form written
 * once: the simulated AP writes them and the controller relays them into its syslog. `predownload` is the
 * seed's `IsPre`: 1 for an image staged as the backup image, 0 for one the AP boots (a download at join).
 */
export const apLogText = {
  /**
   * `Image Data Request sent to 172.16.4.26, fileName [ap1g8]` (the controller's address: the host of the AP port's URL the AP
   * joined), and what this console adds: where a resumed transfer starts.
   */
  imageDataRequest: (controllerUrl: string, fileName: string, detail = ''): string => `Image Data Request sent to ${stripBrackets(new URL(controllerUrl).hostname)}, fileName [${fileName}]${detail}`,
  lastBlockStored: (predownload: boolean): string => `Last block stored, IsPre ${predownload ? 1 : 0}`,
  transferCompleted: (): string => 'Image transfer completed from WLC, last 1',
  /** At a join on another version than the controller's, before the download: the CAPWAP state, the versions compared, and the seed's verdict. */
  versionMismatch: (ap: { primaryVersion: string; backupVersion: string }, controller: string): string[] => [
    'CAPWAP State: Image Data',
    `AP image version ${ap.primaryVersion} backup ${ap.backupVersion}, Controller ${controller}`,
    'Version does not match.',
  ],
  /** A download at join the controller could not start (its image server failed): the AP tries again at the controller's next offer. */
  restartCannotStart: (): string => 'Going to restart CAPWAP (reason : image download cannot start)...',
  /** `status 'upgrade.sh: Script called with args:[PREDOWNLOAD]'`: the AP's upgrade script at each step. */
  script: (step: 'PRECHECK' | 'PREDOWNLOAD' | 'ABORT'): string => `status 'upgrade.sh: Script called with args:[${step}]'`,
  /** The seed's line after a download at join: the AP writes it to flash and boots it (its primary image). */
  writeToStorage: (fileName: string): string => `wtp_delayed_event_handle_write_image_to_storage(10): fileName ${fileName}, pre 0`,
  cleanup: (): string => "status 'upgrade.sh: Cleanup tmp files ...'",
};
