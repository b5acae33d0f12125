-- TFTP and SFTP each keep their own image server, path and port, as IOS keeps the tftp-image-* and
-- sftp-image-* lines of the profile apart: switching image-download-mode no longer carries one mode's
-- port (or server, or path) into the other. The saved values go to the slot of the saved mode. The
-- other slot starts empty with its mode's default port: it was never configured on its own, and
-- copying the saved server and path there would be a guess that sends a download to a wrong path.
ALTER TABLE image_download_profile ADD COLUMN tftp_image_server TEXT NOT NULL DEFAULT '';
ALTER TABLE image_download_profile ADD COLUMN tftp_image_path TEXT NOT NULL DEFAULT '';
ALTER TABLE image_download_profile ADD COLUMN tftp_port INTEGER NOT NULL DEFAULT 69 CHECK (tftp_port BETWEEN 1 AND 65535);
ALTER TABLE image_download_profile ADD COLUMN sftp_image_server TEXT NOT NULL DEFAULT '';
ALTER TABLE image_download_profile ADD COLUMN sftp_image_path TEXT NOT NULL DEFAULT '';
ALTER TABLE image_download_profile ADD COLUMN sftp_port INTEGER NOT NULL DEFAULT 22 CHECK (sftp_port BETWEEN 1 AND 65535);

-- A CCO or Desktop profile kept `mode` TFTP and the server fields the form held, or, when they were
-- blank, the placeholders '/' and 443 (the catalog's port, never a TFTP one): those are not moved.
UPDATE image_download_profile SET tftp_image_server = image_server, tftp_image_path = image_path, tftp_port = port
  WHERE mode = 'TFTP' AND NOT (http_mode IS NOT NULL AND image_path = '/' AND port = 443);
UPDATE image_download_profile SET sftp_image_server = image_server, sftp_image_path = image_path, sftp_port = port WHERE mode = 'SFTP';

ALTER TABLE image_download_profile DROP COLUMN image_server;
ALTER TABLE image_download_profile DROP COLUMN image_path;
ALTER TABLE image_download_profile DROP COLUMN port;
