import type { CachedImage, FetchReport } from '../imageSource/imageCache';
import type { EventLog } from '../store/eventLog';
import { syslogText } from './syslogText';

/** `70512640 bytes in 0.61 s (115.6 MB/s); blksize 1468, windowsize 16, tsize 70512640` */
export function describeFetch(image: CachedImage): string {
  const seconds = image.elapsedMs / 1000;
  const rate = seconds > 0 ? `${(image.size / 1e6 / seconds).toFixed(1)} MB/s` : 'instant';
  return `${image.size} bytes in ${seconds.toFixed(2)} s (${rate}); ${image.detail}`;
}

/**
 * The install_engine lines of each fetch of one bundle file, as the EWC logs them: `Started install add
 * URL` before it (a retry fetches, and says so, again), then `Completed install add URL` and the
 * transfer's figures on the next line, or `Failed to install_add package URL, Error: …`.
 */
export function installReport(log: EventLog, url: string): FetchReport {
  return {
    started: () => log.write(syslogText.installStart(url)),
    fetched: (image) => {
      log.write(syslogText.installCompleted(url));
      log.write(syslogText.fetchFigures(url, describeFetch(image)));
    },
    failed: (error) => log.write(syslogText.downloadFailed(url, error.reason)),
  };
}
