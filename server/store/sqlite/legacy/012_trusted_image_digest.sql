-- Image files an admin trusted by their SHA-256, for sources whose files carry no vendor signature
-- (a Desktop upload; later, a vendor bundle's files), kept with the image download profile's
-- settings. Every delivery of an unsigned image looks its digest up here again.
CREATE TABLE trusted_image_digest (
  -- What the files come from: 'desktop' for Desktop uploads, or an image server and path.
  source TEXT NOT NULL,
  -- The file's name as the admin saw it when trusting it.
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  size INTEGER NOT NULL,
  trusted_by TEXT NOT NULL,
  trusted_at TEXT NOT NULL,
  PRIMARY KEY (source, name, sha256)
);
