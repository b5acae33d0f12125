-- What a running upgrade needs to carry on after the controller restarts (issue #11).
-- The AP side of it (status, retry count, next retry time) is in access_point; this is the rest.
CREATE TABLE upgrade_run (
  upgrade_id INTEGER PRIMARY KEY REFERENCES upgrade(id) ON DELETE CASCADE,
  -- The profile the run was started with, as JSON; SFTP secrets sealed as in image_download_profile.
  profile TEXT NOT NULL,
  -- The image cache folder of this run: kept across a restart so cached and partial images are reused.
  cache_dir TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- One bundle file to fetch once and deliver; size and sha256 once it is in the cache.
CREATE TABLE upgrade_run_job (
  upgrade_id INTEGER NOT NULL REFERENCES upgrade_run(upgrade_id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('ap', 'controller')),
  image_type TEXT,
  size INTEGER,
  sha256 TEXT,
  PRIMARY KEY (upgrade_id, file_name)
);

-- Each enrolled AP and the image kinds it still has to receive ('ap,controller', 'ap' or '').
CREATE TABLE upgrade_run_ap (
  upgrade_id INTEGER NOT NULL REFERENCES upgrade_run(upgrade_id) ON DELETE CASCADE,
  mac TEXT NOT NULL,
  pending_kinds TEXT NOT NULL,
  PRIMARY KEY (upgrade_id, mac)
);
