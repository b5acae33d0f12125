import { NON_HOMOGENEOUS_MESSAGE } from '../../lib/httpModeSettings';
import type { FieldIssue, ImageDownloadProfile } from '../../lib/imageDownloadProfile';
import type { DesktopUploads } from '../uploads/desktopUploads';

/** What the schema cannot know about the profile a save stores in Desktop (HTTP) mode: the network must be homogeneous and the upload finished. */
export function checkHttpModeInput(data: Pick<ImageDownloadProfile, 'mode' | 'desktop'>, uploads: DesktopUploads, homogeneous: boolean): FieldIssue[] {
  if (data.mode !== 'DESKTOP') return [];
  if (!homogeneous) return [{ path: 'mode', message: NON_HOMOGENEOUS_MESSAGE }];
  if (!uploads.image(data.desktop.uploadId)) return [{ path: 'desktop.uploadId', message: 'The uploaded image is not on the controller: upload it again' }];
  return [];
}
