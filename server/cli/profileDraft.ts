import { DEFAULT_PORT, type ImageDownloadMode, type ImageDownloadProfileView, type PasswordType } from '../../lib/imageDownloadProfile';

/**
 * The image-download profile while a CLI user edits it in the profile sub-modes. It is saved in one go
 * when they leave the sub-modes (exit, end, Ctrl-Z), as the page saves its whole form: the seed's SFTP
 * sequence (mode first, user name later) is incomplete line by line and complete at the end.
 */
export interface ProfileDraft {
  mode: ImageDownloadMode;
  imageServer: string;
  imagePath: string;
  port: number;
  parallelMode: boolean;
  sftp: {
    username: string;
    passwordType: PasswordType;
    /** Undefined keeps the stored password. */
    password?: string;
    authMethod: ImageDownloadProfileView['sftp']['authMethod'];
    hostKeyFingerprint: string;
  };
  changed: boolean;
}

export function draftOf(view: ImageDownloadProfileView): ProfileDraft {
  return {
    mode: view.mode,
    imageServer: view.imageServer,
    imagePath: view.imagePath,
    port: view.port,
    parallelMode: view.parallelMode,
    sftp: { username: view.sftp.username, passwordType: view.sftp.passwordType, authMethod: view.sftp.authMethod, hostKeyFingerprint: view.sftp.hostKeyFingerprint ?? '' },
    changed: false,
  };
}

/** `image-download-mode`: a port left at the old mode's default follows the new mode's, as the page's form does. */
export function setDraftMode(draft: ProfileDraft, mode: ImageDownloadMode): void {
  if (draft.mode === mode) return;
  if (draft.port === DEFAULT_PORT[draft.mode]) draft.port = DEFAULT_PORT[mode];
  draft.mode = mode;
  draft.changed = true;
}

/** The body the API's Save accepts. */
export function draftInput(draft: ProfileDraft) {
  const { changed: _changed, ...input } = draft;
  return input;
}
