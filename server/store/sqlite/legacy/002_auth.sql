-- Console accounts. NOCASE so that "Admin" and "admin" cannot be two different accounts.
CREATE TABLE auth_user (
  username TEXT PRIMARY KEY COLLATE NOCASE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'monitor')),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL
);

-- Only the sha256 of a session id is stored, so a copy of the database does not hand out live sessions.
-- Times are epoch milliseconds: expiry is compared arithmetically on every request.
CREATE TABLE auth_session (
  id_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL COLLATE NOCASE REFERENCES auth_user (username) ON DELETE CASCADE,
  created_ms INTEGER NOT NULL,
  last_seen_ms INTEGER NOT NULL
);
CREATE INDEX auth_session_username ON auth_session (username);

-- Failed logins per attempted name (known or not, so the lock does not reveal which accounts exist).
CREATE TABLE auth_login_failure (
  key TEXT NOT NULL,
  time_ms INTEGER NOT NULL
);
CREATE INDEX auth_login_failure_key ON auth_login_failure (key, time_ms);

CREATE TABLE auth_login_lock (
  key TEXT PRIMARY KEY,
  until_ms INTEGER NOT NULL,
  failures INTEGER NOT NULL
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL,
  username TEXT NOT NULL,
  source_address TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
