import { joinImagePath } from '../../lib/imageBundle';
import { SftpError, sftpDownload, type SftpCredentials } from '../sftp/sftpClient';
import { ImageFetchError, type ImageFetchOptions, type ImageFetchResult, type ImageSource } from './imageSource';

export interface SftpSourceSettings {
  server: string;
  port: number;
  imagePath: string;
  credentials: SftpCredentials;
  /** The trusted host key; null when the server could not be reached to trust one, and then any key is refused. */
  hostKeyFingerprint: string | null;
  timeoutMs: number;
}

/**
 * Fetches bundle files over SFTP with the profile's credentials, as the EWC does
 * (the controller logs in, not the APs). A partial file left by a dropped connection
 * is resumed on the next attempt.
 */
export class SftpImageSource implements ImageSource {
  // One refused login stops this upgrade's other fetches from trying again and locking the account.
  private refusal: ImageFetchError | null = null;

  constructor(private readonly settings: SftpSourceSettings) {}

  displayUrl(fileName: string): string {
    const { server, port, imagePath } = this.settings;
    const host = server.includes(':') && !server.startsWith('[') ? `[${server}]` : server;
    const authority = port === 22 ? host : `${host}:${port}`;
    return `sftp://*****@${authority}/${joinImagePath(imagePath, fileName).replace(/^\/+/, '')}`;
  }

  async fetch(fileName: string, destination: string, options: ImageFetchOptions): Promise<ImageFetchResult> {
    if (this.refusal) throw this.refusal;
    const { server, port, imagePath, credentials, hostKeyFingerprint, timeoutMs } = this.settings;
    try {
      const result = await sftpDownload({
        host: server.replace(/^\[|\]$/g, ''),
        port,
        credentials,
        remotePath: joinImagePath(imagePath, fileName),
        destination,
        expectedFingerprint: hostKeyFingerprint,
        onHostKey: () => false,
        timeoutMs,
        resume: true,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      const resumed = result.resumedFrom > 0 ? `, resumed at byte ${result.resumedFrom}` : '';
      return { bytes: result.bytes, elapsedMs: result.elapsedMs, detail: `host key ${result.fingerprint}${resumed}` };
    } catch (error) {
      if (!(error instanceof SftpError)) throw new ImageFetchError(error instanceof Error ? error.message : String(error), true);
      const failure = new ImageFetchError(error.reason, error.retryable, error.code === 'cancelled');
      if (error.code === 'auth' || error.code === 'host-key') this.refusal = failure;
      throw failure;
    }
  }
}
