import { catalogHostProblem } from '../../lib/netAddress';
import { NON_HOMOGENEOUS_MESSAGE } from '../../lib/httpModeSettings';
import type { FieldIssue, ImageDownloadProfile } from '../../lib/imageDownloadProfile';
import type { DesktopUploads } from '../uploads/desktopUploads';

export interface HttpModeCheckContext {
  uploads: DesktopUploads;
  homogeneous: boolean;
  /** EWC_CATALOG_ALLOW_LOOPBACK: a loopback catalog URL for tests and demos. */
  allowLoopbackCatalog: boolean;
  /**
   * On Save & Download unless EWC_REQUIRE_SIGNED_IMAGES=0: whether an admin trusted this SHA-256.
   * Null otherwise (a Save, or SHA-256 only allowed); each delivery checks the trust again anyway.
   */
  isTrusted: ((sha256: string) => boolean) | null;
}

/**
 * What the schema cannot know about the CCO and Desktop (HTTP) modes: whether this console allows a
 * loopback catalog; and for Desktop, the network must be homogeneous, the upload finished, and, to
 * download it, its SHA-256 trusted by an admin (an upload is not signed).
 */
export function checkHttpModeInput(data: Pick<ImageDownloadProfile, 'mode' | 'cco' | 'desktop'>, context: HttpModeCheckContext): FieldIssue[] {
  // In CCO mode only: a stored demo catalog must not block a TFTP profile's save on a console without the demo.
  const catalogHost = data.mode === 'CCO' && data.cco.catalogUrl ? new URL(data.cco.catalogUrl).hostname : '';
  const catalogProblem = catalogHost ? catalogHostProblem(catalogHost, { allowLoopback: context.allowLoopbackCatalog }) : null;
  if (catalogProblem) return [{ path: 'cco.catalogUrl', message: catalogProblem }];
  if (data.mode !== 'DESKTOP') return [];
  if (!context.homogeneous) return [{ path: 'mode', message: NON_HOMOGENEOUS_MESSAGE }];
  const image = context.uploads.image(data.desktop.uploadId);
  if (!image) return [{ path: 'desktop.uploadId', message: 'The uploaded image is not on the controller: upload it again' }];
  if (context.isTrusted && !context.isTrusted(image.sha256)) {
    return [
      {
        path: 'desktop.uploadId',
        message: `An uploaded image is not signed: compare its SHA-256 ${image.sha256} with the one its vendor publishes, then press Trust this image (EWC_REQUIRE_SIGNED_IMAGES=ask or 1 delivers only signed or trusted images)`,
      },
    ];
  }
  return [];
}
