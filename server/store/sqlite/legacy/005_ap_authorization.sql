-- The AP authorization list: which AP (by MAC) holds which certificate from the local CA,
-- and whether it may join. A certificate is accepted only while its serial is the row's
-- and the row is approved, so revoking or deleting refuses it at once.
CREATE TABLE ap_authorization (
  mac TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'revoked')),
  cert_serial TEXT NOT NULL,
  cert_fingerprint TEXT NOT NULL,
  cert_expires_at TEXT NOT NULL,
  enrolled_via TEXT NOT NULL CHECK (enrolled_via IN ('join-token', 'enrolment-token')),
  enrolled_at TEXT NOT NULL,
  enrolled_from TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
);

-- One-time enrolment tokens an admin created; only their sha256 is stored.
CREATE TABLE ap_enrolment_token (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token_hash TEXT NOT NULL UNIQUE,
  mac TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  used_by_mac TEXT
);
