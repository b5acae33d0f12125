import type { ImageDownloadProfile } from '../../lib/imageDownloadProfile';
import { isHttpMode, type HttpMode } from '../../lib/httpModeSettings';
import type { ImageDownloadProfileTable } from './schema';

export type StoredCco = ImageDownloadProfile['cco'];
export type StoredDesktop = ImageDownloadProfile['desktop'];

/** The profile row's columns of CCO and Desktop (HTTP) modes. */
export type HttpModeRow = Pick<
  ImageDownloadProfileTable,
  | 'http_mode'
  | 'cco_catalog_url'
  | 'cco_username'
  | 'cco_password'
  | 'cco_release'
  | 'cco_auto_check'
  | 'cco_auto_check_time'
  | 'cco_ca_certificate'
  | 'cco_certificate_fingerprint'
  | 'desktop_upload_id'
  | 'desktop_version'
>;

export function httpModeFromRow(row: HttpModeRow, open: (sealed: string | null) => string | null): { httpMode: HttpMode | null; cco: StoredCco; desktop: StoredDesktop } {
  return {
    httpMode: row.http_mode,
    cco: {
      catalogUrl: row.cco_catalog_url,
      username: row.cco_username,
      password: open(row.cco_password),
      release: row.cco_release,
      autoCheck: row.cco_auto_check,
      autoCheckTime: row.cco_auto_check_time,
      caCertificate: row.cco_ca_certificate,
      certificateFingerprint: row.cco_certificate_fingerprint,
    },
    desktop: { uploadId: row.desktop_upload_id, version: row.desktop_version },
  };
}

/** The CCO and Desktop columns of a profile already merged, the API key sealed with `seal`. */
export function httpModeColumns(profile: ImageDownloadProfile, seal: (value: string | null) => string | null): HttpModeRow {
  const { cco, desktop } = profile;
  return {
    http_mode: isHttpMode(profile.mode) ? profile.mode : null,
    cco_catalog_url: cco.catalogUrl,
    cco_username: cco.username,
    cco_password: seal(cco.password),
    cco_release: cco.release,
    cco_auto_check: cco.autoCheck,
    cco_auto_check_time: cco.autoCheckTime,
    cco_ca_certificate: cco.caCertificate,
    cco_certificate_fingerprint: cco.certificateFingerprint,
    desktop_upload_id: desktop.uploadId,
    desktop_version: desktop.version,
  };
}
