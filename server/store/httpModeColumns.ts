import type { ImageDownloadProfileData, ImageDownloadProfileView } from '../../lib/imageDownloadProfile';
import { isHttpMode, type CcoAutoCheck, type HttpMode } from '../../lib/httpModeSettings';
import type { SecretBox } from '../secrets/secretBox';
import type { Db } from './database';

/** The CCO settings as the server uses them, password opened. */
export interface StoredCco {
  catalogUrl: string;
  username: string;
  password: string | null;
  release: string;
  autoCheck: CcoAutoCheck;
  autoCheckTime: string;
  caCertificate: string;
  certificateFingerprint: string;
}

export interface StoredDesktop {
  uploadId: string;
  version: string;
}

export const EMPTY_CCO: StoredCco = { catalogUrl: '', username: '', password: null, release: 'recommended', autoCheck: 'off', autoCheckTime: '03:00', caCertificate: '', certificateFingerprint: '' };
export const EMPTY_DESKTOP: StoredDesktop = { uploadId: '', version: '' };

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

export function ccoView(cco: StoredCco, desktop: StoredDesktop): Pick<ImageDownloadProfileView, 'cco' | 'desktop'> {
  const { password, ...visible } = cco;
  return { cco: { ...visible, hasPassword: password !== null }, desktop };
}

/**
 * Writes the CCO and Desktop columns after the main row: an empty password keeps the stored one;
 * another catalog URL forgets the certificate trusted once for the previous one.
 */
export function saveHttpModeColumns(db: Db, secrets: SecretBox, input: Pick<ImageDownloadProfileData, 'mode'> & Partial<Pick<ImageDownloadProfileData, 'cco' | 'desktop'>>, current: StoredCco, currentDesktop: StoredDesktop): void {
  const cco = input.cco;
  const password = cco?.password ? cco.password : current.password;
  const sameCatalog = cco ? cco.catalogUrl === current.catalogUrl : true;
  const fingerprint = cco ? cco.certificateFingerprint || (sameCatalog ? current.certificateFingerprint : '') : current.certificateFingerprint;
  const next = cco ? { ...cco, password, certificateFingerprint: fingerprint } : { ...current, password };
  const desktop = input.desktop ?? currentDesktop;
  db.prepare(
    `UPDATE image_download_profile SET http_mode = @httpMode, cco_catalog_url = @catalogUrl, cco_username = @username, cco_password = @password,
       cco_release = @release, cco_auto_check = @autoCheck, cco_auto_check_time = @autoCheckTime, cco_ca_certificate = @caCertificate,
       cco_certificate_fingerprint = @certificateFingerprint, desktop_upload_id = @uploadId, desktop_version = @version WHERE id = 1`,
  ).run({
    httpMode: isHttpMode(input.mode) ? input.mode : null,
    catalogUrl: next.catalogUrl,
    username: next.username,
    password: password === null ? null : secrets.seal(password),
    release: next.release,
    autoCheck: next.autoCheck,
    autoCheckTime: next.autoCheckTime,
    caCertificate: next.caCertificate,
    certificateFingerprint: next.certificateFingerprint,
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
