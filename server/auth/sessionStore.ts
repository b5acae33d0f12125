import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/database';

export interface SessionLimits {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after login however busy it is. */
  absoluteMs: number;
}

export interface StoredSession {
  idHash: string;
  username: string;
  createdMs: number;
  lastSeenMs: number;
}

interface SessionRow {
  id_hash: string;
  username: string;
  created_ms: number;
  last_seen_ms: number;
}

/** What the database keeps of a session id; also how the socket layer names a session without holding the id. */
export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('base64url');
}

function toSession(row: SessionRow): StoredSession {
  return { idHash: row.id_hash, username: row.username, createdMs: row.created_ms, lastSeenMs: row.last_seen_ms };
}

export type SessionLookup = { status: 'active'; session: StoredSession } | { status: 'expired'; session: StoredSession } | { status: 'unknown' };

/** Server-side sessions: the browser holds a random id, the database holds its hash and the expiry bookkeeping. */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly limits: SessionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a session and returns its id, the only time the id exists in clear on the server. */
  create(username: string): string {
    const sessionId = randomBytes(32).toString('base64url');
    const at = this.now();
    this.db.prepare('INSERT INTO auth_session (id_hash, username, created_ms, last_seen_ms) VALUES (?, ?, ?, ?)').run(hashSessionId(sessionId), username, at, at);
    return sessionId;
  }

  /** Looks a session up and, while it is alive, slides its idle expiry; an expired one is deleted on the spot. */
  touch(sessionId: string): SessionLookup {
    const row = this.db.prepare('SELECT * FROM auth_session WHERE id_hash = ?').get(hashSessionId(sessionId)) as SessionRow | undefined;
    if (!row) return { status: 'unknown' };
    const session = toSession(row);
    const at = this.now();
    if (this.isExpired(session, at)) {
      this.db.prepare('DELETE FROM auth_session WHERE id_hash = ?').run(session.idHash);
      return { status: 'expired', session };
    }
    this.db.prepare('UPDATE auth_session SET last_seen_ms = ? WHERE id_hash = ?').run(at, session.idHash);
    return { status: 'active', session: { ...session, lastSeenMs: at } };
  }

  /** Ends one session; returns it when it existed. */
  delete(sessionId: string): StoredSession | null {
    const row = this.db.prepare('DELETE FROM auth_session WHERE id_hash = ? RETURNING *').get(hashSessionId(sessionId)) as SessionRow | undefined;
    return row ? toSession(row) : null;
  }

  /** Ends every session of a user but the one named by `keepIdHash`; returns those ended. */
  deleteForUser(username: string, keepIdHash: string | null = null): StoredSession[] {
    const rows = this.db.prepare('DELETE FROM auth_session WHERE username = ? AND id_hash IS NOT ? RETURNING *').all(username, keepIdHash) as SessionRow[];
    return rows.map(toSession);
  }

  /** Deletes every expired session; returns those ended so their sockets can be told. */
  deleteExpired(): StoredSession[] {
    const at = this.now();
    const rows = this.db.prepare('DELETE FROM auth_session WHERE last_seen_ms + ? <= ? OR created_ms + ? <= ? RETURNING *').all(this.limits.idleMs, at, this.limits.absoluteMs, at) as SessionRow[];
    return rows.map(toSession);
  }

  private isExpired(session: StoredSession, at: number): boolean {
    return at >= session.lastSeenMs + this.limits.idleMs || at >= session.createdMs + this.limits.absoluteMs;
  }
}
