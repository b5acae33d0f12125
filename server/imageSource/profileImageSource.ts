import { isHttpMode } from '../../lib/httpModeSettings';
import type { ConsoleConfig } from '../config';
import type { StoredProfile } from '../store/profileRepository';
import { createHttpModeSource, type HttpModeSourceDeps } from './httpModeSource';
import type { ImageSource } from './imageSource';
import { SftpImageSource } from './sftpImageSource';
import { TftpImageSource } from './tftpImageSource';

/** Where a run of this profile fetches its bundle: its mode's server, path, port and credentials. */
export function imageSourceForProfile(profile: StoredProfile, config: Pick<ConsoleConfig, 'tftp' | 'sftpTimeoutMs'>, httpMode: HttpModeSourceDeps): ImageSource {
  if (isHttpMode(profile.mode)) return createHttpModeSource(profile, httpMode);
  if (profile.mode === 'TFTP') {
    const { imageServer, port, imagePath } = profile.tftp;
    return new TftpImageSource({ server: imageServer, port, imagePath, ...config.tftp });
  }
  const { imageServer, port, imagePath, username, password, authMethod, privateKey, passphrase, hostKeyFingerprint, hostKeyType } = profile.sftp;
  const credentials = authMethod === 'key' ? { username, privateKey: privateKey ?? undefined, passphrase: passphrase ?? undefined } : { username, password: password ?? undefined };
  return new SftpImageSource({
    server: imageServer,
    port,
    imagePath,
    credentials,
    hostKeyFingerprint,
    hostKeyType,
    timeoutMs: config.sftpTimeoutMs,
  });
}
