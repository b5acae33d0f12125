CREATE TABLE image_download_profile (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  mode TEXT NOT NULL CHECK (mode IN ('TFTP', 'SFTP')),
  image_server TEXT NOT NULL,
  image_path TEXT NOT NULL,
  port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  parallel_mode INTEGER NOT NULL,
  sftp_username TEXT NOT NULL DEFAULT '',
  sftp_password_type TEXT NOT NULL DEFAULT 'UNENCRYPTED',
  sftp_password TEXT,
  updated_at TEXT NOT NULL
);

CREATE TABLE access_point (
  mac TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  model TEXT NOT NULL,
  image_type TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'Master',
  primary_image TEXT NOT NULL,
  backup_image TEXT NOT NULL,
  backup_image_sha256 TEXT,
  controller_primary_image TEXT,
  controller_backup_image TEXT,
  hosts_controller INTEGER NOT NULL DEFAULT 0,
  free_space_kb INTEGER NOT NULL DEFAULT 0,
  predownload_status TEXT NOT NULL DEFAULT 'None',
  predownload_version TEXT,
  retry_count INTEGER NOT NULL DEFAULT 0,
  next_retry_time TEXT,
  method TEXT NOT NULL DEFAULT 'CAPWAP',
  last_error TEXT,
  upgrade_id INTEGER,
  last_seen_at TEXT NOT NULL
);

CREATE TABLE upgrade (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  stage TEXT NOT NULL,
  last_bar_stage TEXT,
  mode TEXT NOT NULL,
  image_url TEXT NOT NULL,
  parallel_mode INTEGER NOT NULL,
  target_version TEXT,
  target_controller_version TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  message TEXT
);

CREATE TABLE controller (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version TEXT NOT NULL
);

CREATE TABLE event_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL,
  severity TEXT NOT NULL,
  facility TEXT NOT NULL,
  text TEXT NOT NULL
);
