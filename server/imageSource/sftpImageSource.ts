import { keyTypeLabel, type HostKeyType } from '../../lib/hostKeyType';
import { joinImagePath } from '../../lib/imageBundle';
import { SftpError, sftpDownload, type SftpCredentials } from '../sftp/sftpClient';
import { ImageFetchError, type ImageFetchOptions, type ImageFetchResult, type ImageSource } from './imageSource';
import { stripBrackets, urlAuthority } from '../../lib/netAddress';

export interface SftpSourceSettings {
  server: string;
  port: number;
  imagePath: string;
  credentials: SftpCredentials;
  /** The trusted host key; null when the server could not be reached to trust one, and then any key is refused. */
  hostKeyFingerprint: string | null;
  /** Its type when known (trusted from the server's own offer); null makes the first fetch look for it. */
  hostKeyType?: HostKeyType | null;
  timeoutMs: number;
}

/**
 * Fetches bundle files over SFTP with the profile's credentials, as the EWC does
 * (the controller logs in, not the APs). A partial file left by a dropped connection
 * is resumed on the next attempt, only if this client wrote it for the same remote file
 * and that file is unchanged (see partialDownload.ts).
 */
export class SftpImageSource implements ImageSource {
  // One refused login stops this upgrade's other fetches from trying again and locking the account.
  private refusal: ImageFetchError | null = null;
  // Learned on the first fetch when only the fingerprint is pinned, so the other files ask for it at once.
  private hostKeyType: HostKeyType | null;

  constructor(private readonly settings: SftpSourceSettings) {
    this.hostKeyType = settings.hostKeyType ?? null;
  }

  displayUrl(fileName: string): string {
    const { server, port, imagePath } = this.settings;
    return `sftp://*****@${urlAuthority(server, port, 22)}/${joinImagePath(imagePath, fileName).replace(/^\/+/, '')}`;
  }

  async fetch(fileName: string, destination: string, options: ImageFetchOptions): Promise<ImageFetchResult> {
    if (this.refusal) throw this.refusal;
    const { server, port, imagePath, credentials, hostKeyFingerprint, timeoutMs } = this.settings;
    try {
      const result = await sftpDownload({
        host: stripBrackets(server),
        port,
        credentials,
        remotePath: joinImagePath(imagePath, fileName),
        destination,
        expectedFingerprint: hostKeyFingerprint,
        expectedKeyType: this.hostKeyType,
        onHostKey: () => false,
        timeoutMs,
        resume: true,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      this.hostKeyType = result.keyType;
      const resumed = result.resumedFrom > 0 ? `, resumed at byte ${result.resumedFrom}` : '';
      const restarted = result.restartReason ? `, not resumed: ${result.restartReason}` : '';
      const keyType = result.keyType ? ` (${keyTypeLabel(result.keyType)})` : '';
      return { bytes: result.bytes, elapsedMs: result.elapsedMs, detail: `host key ${result.fingerprint}${keyType}${resumed}${restarted}` };
    } catch (error) {
      if (!(error instanceof SftpError)) throw new ImageFetchError(error instanceof Error ? error.message : String(error), true);
      const failure = new ImageFetchError(error.reason, error.retryable, error.code === 'cancelled');
      if (error.code === 'auth' || error.code === 'host-key') this.refusal = failure;
      throw failure;
    }
  }
}
