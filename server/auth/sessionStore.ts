import { createHash, randomBytes } from 'node:crypto';
import { sessionRows, type StoredSession } from '../store/sessionRepository';
import type { Executor } from '../store/store';

export type { StoredSession } from '../store/sessionRepository';

export interface SessionLimits {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after login however busy it is. */
  absoluteMs: number;
}

/** What the database keeps of a session id; also how the socket layer names a session without holding the id. */
export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

export type SessionLookup = { status: 'active'; session: StoredSession } | { status: 'expired'; session: StoredSession } | { status: 'unknown' };

/** Server-side sessions: the browser holds a random id, the database holds its hash and the expiry bookkeeping. */
export class SessionStore {
  constructor(
    private readonly db: Executor,
    private readonly limits: SessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a session and returns its id, the only time the id exists in clear on the server. */
  async create(username: string): Promise<string> {
    const sessionId = randomBytes(32).toString('base64url');
    const at = this.now();
    await sessionRows.insert(this.db, { idHash: hashSessionId(sessionId), username, createdMs: at, lastSeenMs: at });
    return sessionId;
  }

  /**
   * Looks a session up and, while it is alive, slides its idle expiry; an expired one is deleted on the spot.
   * A session is alive until `idleMs` after its last use and `absoluteMs` after its start, whichever comes first.
   */
  async touch(sessionId: string): Promise<SessionLookup> {
    const idHash = hashSessionId(sessionId);
    const at = this.now();
    const active = await sessionRows.slide(this.db, idHash, at, at - this.limits.idleMs, at - this.limits.absoluteMs);
    if (active) return { status: 'active', session: active };
    // Not alive now: expired (and ended here), or never there.
    const expired = await sessionRows.delete(this.db, idHash);
    return expired ? { status: 'expired', session: expired } : { status: 'unknown' };
  }

  /** Ends one session; returns it when it existed. */
  delete(sessionId: string): Promise<StoredSession | null> {
    return sessionRows.delete(this.db, hashSessionId(sessionId));
  }

  /** Ends every session of a user but the one named by `keepIdHash`; returns those ended. `db` may be the transaction of an account change. */
  deleteForUser(username: string, keepIdHash: string | null = null, db: Executor = this.db): Promise<StoredSession[]> {
    return sessionRows.deleteForUser(db, username, keepIdHash);
  }

  /** Deletes every expired session; returns those ended so their sockets can be told. */
  deleteExpired(): Promise<StoredSession[]> {
    const at = this.now();
    return sessionRows.deleteExpired(this.db, at - this.limits.idleMs, at - this.limits.absoluteMs);
  }
}
