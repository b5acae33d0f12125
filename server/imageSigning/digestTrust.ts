import { digestTrustRows } from '../store/digestTrustRepository';
import type { TrustedImageDigestTable } from '../store/schema';
import { afterCommit, inTransaction, type Executor } from '../store/store';

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

const toTrusted = (row: TrustedImageDigestTable): TrustedDigest => ({ source: row.source, name: row.name, sha256: row.sha256, size: row.size, trustedBy: row.trusted_by, trustedAt: row.trusted_at });

const key = (source: string, name: string, sha256: string) => JSON.stringify([source, name, sha256]);

/**
 * The admins' trust decisions, per source, file name and SHA-256. Trusting the same file again
 * keeps the first decision (the same image needs no second approval); another digest is another
 * decision. Who trusted what also goes into the audit trail, written by the caller. Every delivery
 * of an unsigned image asks again, so the list is kept in memory, read at start and changed with its rows.
 */
export class DigestTrust {
  private readonly decisions = new Map<string, TrustedDigest>();

  private constructor(
    private readonly db: Executor,
    rows: readonly TrustedImageDigestTable[],
  ) {
    for (const row of rows) this.remember(toTrusted(row));
  }

  static async load(db: Executor): Promise<DigestTrust> {
    return new DigestTrust(db, await digestTrustRows.all(db));
  }

  /** Records the files as trusted by `username` (in `db`'s transaction when it is one); answers each file's decision, earlier ones kept. */
  trust(source: string, files: readonly { name: string; size: number; sha256: string }[], username: string, db: Executor = this.db): Promise<TrustedDigest[]> {
    const now = new Date().toISOString();
    return inTransaction(db, async (tx) => {
      await digestTrustRows.insertNew(
        tx,
        files.map((file) => ({ source, name: file.name, sha256: file.sha256, size: file.size, trusted_by: username, trusted_at: now })),
      );
      const decisions: TrustedDigest[] = [];
      for (const file of files) decisions.push(toTrusted((await digestTrustRows.find(tx, source, file.sha256, file.name))!));
      afterCommit(tx, () => decisions.forEach((decision) => this.remember(decision)));
      return decisions;
    });
  }

  /** The decision that trusted this digest from this source (under this name, when given), or null. */
  find(source: string, sha256: string, name?: string): TrustedDigest | null {
    if (name !== undefined) return this.decisions.get(key(source, name, sha256)) ?? null;
    // Any name: the earliest decision.
    let earliest: TrustedDigest | null = null;
    for (const decision of this.decisions.values()) {
      if (decision.source === source && decision.sha256 === sha256 && (!earliest || decision.trustedAt < earliest.trustedAt)) earliest = decision;
    }
    return earliest;
  }

  private remember(decision: TrustedDigest): void {
    this.decisions.set(key(decision.source, decision.name, decision.sha256), decision);
  }
}
