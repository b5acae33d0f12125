-- SFTP secrets are stored sealed (AES-256-GCM, see server/secrets/secretBox.ts); the host key is trusted per server and port.
ALTER TABLE image_download_profile ADD COLUMN sftp_auth_method TEXT NOT NULL DEFAULT 'password';
ALTER TABLE image_download_profile ADD COLUMN sftp_private_key TEXT;
ALTER TABLE image_download_profile ADD COLUMN sftp_passphrase TEXT;
ALTER TABLE image_download_profile ADD COLUMN sftp_host_key_fingerprint TEXT;
ALTER TABLE image_download_profile ADD COLUMN sftp_host_key_for TEXT;
