-- Settings of the SSH CLI that are not part of the upgrade profile (the `hostname` of the prompt).
CREATE TABLE cli_setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- SSH public keys an administrator added to an account: the CLI accepts them in place of the password.
-- The blob is the key as OpenSSH's authorized_keys carries it (base64 of the wire format).
CREATE TABLE auth_ssh_key (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL COLLATE NOCASE REFERENCES auth_user (username) ON DELETE CASCADE,
  key_type TEXT NOT NULL,
  key_blob TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  UNIQUE (username, fingerprint)
);
CREATE INDEX auth_ssh_key_username ON auth_ssh_key (username);
