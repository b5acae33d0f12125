-- CCO and Desktop (HTTP) modes. 001's CHECK on `mode` allows TFTP and SFTP only, and SQLite changes
-- a CHECK only by rebuilding the table (which would drop the columns other migrations add), so a
-- profile in one of these modes says so in `http_mode`; `mode` then keeps TFTP.
ALTER TABLE image_download_profile ADD COLUMN http_mode TEXT CHECK (http_mode IN ('CCO', 'DESKTOP'));
ALTER TABLE image_download_profile ADD COLUMN cco_catalog_url TEXT NOT NULL DEFAULT '';
ALTER TABLE image_download_profile ADD COLUMN cco_username TEXT NOT NULL DEFAULT '';
-- Sealed with AES-256-GCM like the SFTP password (server/secrets/secretBox.ts).
ALTER TABLE image_download_profile ADD COLUMN cco_password TEXT;
ALTER TABLE image_download_profile ADD COLUMN cco_release TEXT NOT NULL DEFAULT 'recommended';
ALTER TABLE image_download_profile ADD COLUMN cco_auto_check TEXT NOT NULL DEFAULT 'off';
ALTER TABLE image_download_profile ADD COLUMN cco_auto_check_time TEXT NOT NULL DEFAULT '03:00';
ALTER TABLE image_download_profile ADD COLUMN cco_ca_certificate TEXT NOT NULL DEFAULT '';
ALTER TABLE image_download_profile ADD COLUMN cco_certificate_fingerprint TEXT NOT NULL DEFAULT '';
ALTER TABLE image_download_profile ADD COLUMN desktop_upload_id TEXT NOT NULL DEFAULT '';
ALTER TABLE image_download_profile ADD COLUMN desktop_version TEXT NOT NULL DEFAULT '';

-- The last Check for New Version, as GET /api/software-upgrade/check returns it.
CREATE TABLE catalog_check (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  checked_at TEXT NOT NULL,
  result TEXT NOT NULL
);
