import { joinImagePath } from '../../lib/imageBundle';
import { TftpError, describeNegotiation, tftpDownload } from '../tftp/tftpClient';
import { ImageFetchError, type ImageFetchOptions, type ImageFetchResult, type ImageSource } from './imageSource';
import { stripBrackets, urlAuthority } from '../../lib/netAddress';

export interface TftpSourceSettings {
  server: string;
  port: number;
  imagePath: string;
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  retries: number;
}

/** Fetches bundle files from a TFTP server with the project's own client. */
export class TftpImageSource implements ImageSource {
  constructor(private readonly settings: TftpSourceSettings) {}

  displayUrl(fileName: string): string {
    const { server, port, imagePath } = this.settings;
    const remote = joinImagePath(imagePath, fileName).replace(/^\/+/, '');
    return `tftp://${urlAuthority(server, port, 69)}/${remote}`;
  }

  async fetch(fileName: string, destination: string, options: ImageFetchOptions): Promise<ImageFetchResult> {
    const { server, port, imagePath, blksize, windowsize, timeoutMs, retries } = this.settings;
    // TFTP cannot start mid-file: every fetch starts at byte 0.
    options.onProgress(0, null);
    try {
      const result = await tftpDownload({
        host: stripBrackets(server),
        port,
        remotePath: joinImagePath(imagePath, fileName),
        destination,
        blksize,
        windowsize,
        timeoutMs,
        retries,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      return { bytes: result.bytes, elapsedMs: result.elapsedMs, detail: describeNegotiation(result.negotiated) };
    } catch (error) {
      if (error instanceof TftpError) {
        // A missing file stays missing until someone fixes the path; timeouts and server errors may pass.
        throw new ImageFetchError(error.reason, error.code !== 'cancelled', error.code === 'cancelled');
      }
      throw new ImageFetchError(error instanceof Error ? error.message : String(error), true);
    }
  }
}
