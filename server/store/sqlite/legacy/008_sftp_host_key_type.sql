-- The type of the trusted host key (ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, …), asked for first when connecting;
-- NULL for a fingerprint pasted without one, which the client then looks for among the server's keys.
ALTER TABLE image_download_profile ADD COLUMN sftp_host_key_type TEXT;
