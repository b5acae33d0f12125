import type { ImageDownloadProfileInput } from '../../lib/imageDownloadProfile';

/**
 * What a CLI user typed in the image-download profile sub-modes: each line names some fields of the
 * API's Save. They are saved in one go when the user leaves the sub-modes (exit, end, Ctrl-Z), as the
 * page saves its form: the seed's SFTP sequence (mode first, user name later) is incomplete line by
 * line and complete at the end. The save names only the fields typed, so everything else (what the
 * page saved meanwhile, the other mode's server, the CCO and Desktop settings) keeps its value.
 */
export interface ProfileDraft {
  edits: ImageDownloadProfileInput[];
}

/** The lines typed as one save; a later line naming a field again wins, as in IOS. */
export function patchOf(draft: ProfileDraft): ImageDownloadProfileInput {
  const patch: Record<string, unknown> = {};
  for (const named of draft.edits) {
    for (const [key, value] of Object.entries(named)) {
      patch[key] = typeof value === 'object' && value !== null ? { ...(patch[key] as object | undefined), ...value } : value;
    }
  }
  return patch as ImageDownloadProfileInput;
}
