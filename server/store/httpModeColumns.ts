import type { ImageDownloadProfile } from '../../lib/imageDownloadProfile';
import { isHttpMode, type CcoAutoCheck, type HttpMode } from '../../lib/httpModeSettings';
import type { SecretBox } from '../secrets/secretBox';
import type { Db } from './database';

export type StoredCco = ImageDownloadProfile['cco'];
export type StoredDesktop = ImageDownloadProfile['desktop'];

export interface HttpModeRow {
  http_mode: HttpMode | null;
  cco_catalog_url: string;
  cco_username: string;
  cco_password: string | null;
  cco_release: string;
  cco_auto_check: CcoAutoCheck;
  cco_auto_check_time: string;
  cco_ca_certificate: string;
  cco_certificate_fingerprint: string;
  desktop_upload_id: string;
  desktop_version: string;
}

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

/** Writes the CCO and Desktop columns of a profile already merged (the main row exists: call after writing it). */
export function writeHttpModeColumns(db: Db, secrets: SecretBox, profile: ImageDownloadProfile): void {
  const { cco, desktop } = profile;
  db.prepare(
    `UPDATE image_download_profile SET http_mode = @httpMode, cco_catalog_url = @catalogUrl, cco_username = @username, cco_password = @password,
       cco_release = @release, cco_auto_check = @autoCheck, cco_auto_check_time = @autoCheckTime, cco_ca_certificate = @caCertificate,
       cco_certificate_fingerprint = @certificateFingerprint, desktop_upload_id = @uploadId, desktop_version = @version WHERE id = 1`,
  ).run({
    httpMode: isHttpMode(profile.mode) ? profile.mode : null,
    catalogUrl: cco.catalogUrl,
    username: cco.username,
    password: cco.password === null ? null : secrets.seal(cco.password),
    release: cco.release,
    autoCheck: cco.autoCheck,
    autoCheckTime: cco.autoCheckTime,
    caCertificate: cco.caCertificate,
    certificateFingerprint: cco.certificateFingerprint,
    uploadId: desktop.uploadId,
    version: desktop.version,
  });
}

/** Re-seals the CCO password with another key: part of the key rotation. */
export function resealCcoPassword(db: Db, open: (sealed: string) => string, next: SecretBox): number {
  const row = db.prepare('SELECT cco_password FROM image_download_profile WHERE id = 1').get() as { cco_password: string | null } | undefined;
  if (!row?.cco_password) return 0;
  db.prepare('UPDATE image_download_profile SET cco_password = ? WHERE id = 1').run(next.seal(open(row.cco_password)));
  return 1;
}
