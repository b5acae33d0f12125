import type { Db } from '../store/database';

/** A file an admin trusted by its SHA-256: what stands in for a vendor signature on an unsigned image. */
export interface TrustedDigest {
  source: string;
  name: string;
  sha256: string;
  size: number;
  trustedBy: string;
  trustedAt: string;
}

/** The source name of Desktop (HTTP) uploads in the trust list. */
export const DESKTOP_TRUST_SOURCE = 'desktop';

interface Row {
  source: string;
  name: string;
  sha256: string;
  size: number;
  trusted_by: string;
  trusted_at: string;
}

const toTrusted = (row: Row): TrustedDigest => ({ source: row.source, name: row.name, sha256: row.sha256, size: row.size, trustedBy: row.trusted_by, trustedAt: row.trusted_at });

/**
 * The admins' trust decisions, per source, file name and SHA-256. Trusting the same file again
 * keeps the first decision (the same image needs no second approval); another digest is another
 * decision. Who trusted what also goes into the audit trail, written by the caller.
 */
export class DigestTrust {
  constructor(private readonly db: Db) {}

  /** Records the files as trusted by `username`; answers each file's decision, earlier ones kept. */
  trust(source: string, files: readonly { name: string; size: number; sha256: string }[], username: string): TrustedDigest[] {
    const insert = this.db.prepare('INSERT OR IGNORE INTO trusted_image_digest (source, name, sha256, size, trusted_by, trusted_at) VALUES (?, ?, ?, ?, ?, ?)');
    const now = new Date().toISOString();
    return this.db.transaction(() =>
      files.map((file) => {
        insert.run(source, file.name, file.sha256, file.size, username, now);
        return this.find(source, file.sha256, file.name)!;
      }),
    )();
  }

  /** The decision that trusted this digest from this source (under this name, when given), or null. */
  find(source: string, sha256: string, name?: string): TrustedDigest | null {
    const row = (
      name === undefined
        ? this.db.prepare('SELECT * FROM trusted_image_digest WHERE source = ? AND sha256 = ? ORDER BY trusted_at LIMIT 1').get(source, sha256)
        : this.db.prepare('SELECT * FROM trusted_image_digest WHERE source = ? AND sha256 = ? AND name = ?').get(source, sha256, name)
    ) as Row | undefined;
    return row ? toTrusted(row) : null;
  }
}
