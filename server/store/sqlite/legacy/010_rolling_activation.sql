-- Rolling activation (issue 14): where an AP stands, who its neighbours are, and whether it sits out the activation.
ALTER TABLE access_point ADD COLUMN site_tag TEXT NOT NULL DEFAULT 'default-site-tag';
-- JSON array of neighbour MACs, as the AP reported them.
ALTER TABLE access_point ADD COLUMN neighbors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE access_point ADD COLUMN activation_excluded INTEGER NOT NULL DEFAULT 0;

-- Who started an upgrade and how (page, api, cli, schedule), for the history.
ALTER TABLE upgrade ADD COLUMN started_by TEXT;
ALTER TABLE upgrade ADD COLUMN started_via TEXT;
-- JSON of the predownload's targets, or NULL for every AP.
ALTER TABLE upgrade ADD COLUMN targets TEXT;

-- The activation of an upgrade: one row, written on every change so a restart can continue it.
CREATE TABLE rollout (
  upgrade_id INTEGER PRIMARY KEY REFERENCES upgrade (id),
  strategy TEXT NOT NULL CHECK (strategy IN ('all', 'rolling')),
  wave_percent INTEGER,
  wave_size INTEGER,
  error_threshold_percent INTEGER NOT NULL,
  window_end TEXT,
  state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'aborted', 'finished')),
  pause_reason TEXT,
  -- The wave running now or the last one started; -1 before the first.
  current_wave INTEGER NOT NULL DEFAULT -1,
  started_by TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT
);

CREATE TABLE rollout_wave (
  upgrade_id INTEGER NOT NULL REFERENCES rollout (upgrade_id),
  wave_index INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'reloading', 'done')),
  -- JSON array of the wave's AP MACs.
  aps TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  failed INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (upgrade_id, wave_index)
);

-- Save & Download or Activate set for later; kept until it runs or is cancelled.
CREATE TABLE scheduled_action (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  action TEXT NOT NULL CHECK (action IN ('download', 'activate')),
  at TEXT NOT NULL,
  window_end TEXT,
  -- JSON: the activation options or the predownload's targets.
  options TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'started', 'cancelled', 'failed')),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  outcome TEXT
);
