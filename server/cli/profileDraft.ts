import { DEFAULT_PORT, type ImageDownloadMode, type ImageDownloadProfileView, type PasswordType } from '../../lib/imageDownloadProfile';

/** The profile as the API's Save takes it; no password keeps the stored one. */
export interface ProfileFields {
  mode: ImageDownloadMode;
  imageServer: string;
  imagePath: string;
  port: number;
  parallelMode: boolean;
  sftp: {
    username: string;
    passwordType: PasswordType;
    password?: string;
    authMethod: ImageDownloadProfileView['sftp']['authMethod'];
    hostKeyFingerprint: string;
  };
}

/**
 * What a CLI user changed in the image-download profile sub-modes. It is saved in one go when they leave
 * the sub-modes (exit, end, Ctrl-Z), as the page saves its whole form: the seed's SFTP sequence (mode
 * first, user name later) is incomplete line by line and complete at the end. The edits are replayed on
 * the profile as saved at that moment, so a field someone changed on the page meanwhile is kept.
 */
export interface ProfileDraft {
  edits: ((fields: ProfileFields) => void)[];
}

export function fieldsOf(view: ImageDownloadProfileView): ProfileFields {
  return {
    mode: view.mode,
    imageServer: view.imageServer,
    imagePath: view.imagePath,
    port: view.port,
    parallelMode: view.parallelMode,
    sftp: { username: view.sftp.username, passwordType: view.sftp.passwordType, authMethod: view.sftp.authMethod, hostKeyFingerprint: view.sftp.hostKeyFingerprint ?? '' },
  };
}

/** `image-download-mode`: a port left at the old mode's default follows the new mode's, as the page's form does. */
export function setMode(fields: ProfileFields, mode: ImageDownloadMode): void {
  if (fields.mode === mode) return;
  if (fields.port === DEFAULT_PORT[fields.mode]) fields.port = DEFAULT_PORT[mode];
  fields.mode = mode;
}
