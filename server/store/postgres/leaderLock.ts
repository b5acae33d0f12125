import pg from 'pg';
import { redactedDatabaseUrl } from './databaseUrl';

/**
 * Which console node leads the runs: the one holding a PostgreSQL session-level advisory lock. The lock
 * lives on a connection outside the pool (a console node's own session, which holds the node's name too:
 * nodeSession.ts), so no query of the console ever runs on it and ending it means exactly one thing: the
 * node is gone. PostgreSQL releases the lock when that session ends, however it
 * ends (a release, the node's process killed, the server ending the connection), so there is no lease to
 * renew and no clock to trust: the node learns it lost leadership when its connection fails, and stops
 * leading at once. A heartbeat finds a connection that went silent (a cable pulled) rather than closed;
 * the server frees the lock only once it sees the session end (the session's TCP keepalive and user
 * timeout, set from `deadPeerMs`), so a node stops leading before another can start. Only the node holding
 * it runs the console (server/cluster/nodeLeadership.ts).
 */

// Any constant every node agrees on; not the migrations' (postgresDialect.ts), so migrating never waits on the leader.
export const LEADER_LOCK_KEY = 0x6577634c;

const DEFAULT_HEARTBEAT_MS = 5_000;

export interface LeaderLockOptions {
  key?: number;
  /** How often the held connection is checked; a check not answered within this time ends leadership too. */
  heartbeatMs?: number;
  /**
   * About how long the server waits for a silent peer before it ends the session and frees the lock: the
   * session's `tcp_keepalives_*` and `tcp_user_timeout`. Unset: the server's own settings (hours, by default).
   */
  deadPeerMs?: number;
}

/**
 * The server-side settings that end the lock's session once its peer has been silent about `deadPeerMs`:
 * keepalive probes from a third of it on, and `tcp_user_timeout` (PostgreSQL 12 on, Linux), which bounds
 * unanswered probes and unacknowledged data alike. Keepalives count in whole seconds, hence the floors of 1.
 * On a Unix socket PostgreSQL ignores them (no peer to vanish).
 */
export function deadPeerSettings(deadPeerMs: number): Record<string, number> {
  const third = Math.max(1, Math.floor(deadPeerMs / 3000));
  return {
    tcp_keepalives_idle: third,
    tcp_keepalives_interval: Math.max(1, Math.floor(deadPeerMs / 6000)),
    tcp_keepalives_count: 4,
    tcp_user_timeout: Math.round(deadPeerMs),
  };
}

/**
 * A connection of its own for session-level advisory locks, with the dead-peer settings when `deadPeerMs`
 * is given. Until a lock is held on it, a failure is the caller's rejected promise: an unheard 'error'
 * event would end the process.
 */
export async function openLockSession(url: string, deadPeerMs?: number): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, keepAlive: true });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`Cannot reach the PostgreSQL database ${redactedDatabaseUrl(url)}: ${(error as Error).message}`);
  }
  if (deadPeerMs === undefined) return client;
  // Numbers only, from deadPeerSettings: safe to write into the statement (SET takes no parameters).
  const settings = Object.entries(deadPeerSettings(deadPeerMs)).map(([name, value]) => `set ${name} = ${value};`);
  try {
    await client.query(settings.join(' '));
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

export class LeaderLock {
  private lostReason: string | null = null;
  private readonly lostListeners = new Set<(reason: string) => void>();
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly client: pg.Client,
    /** The PostgreSQL backend process holding the lock (what `pg_stat_activity` shows). */
    readonly backendPid: number,
    heartbeatMs: number,
  ) {
    client.on('error', (error) => this.lose(`the connection holding the leader lock failed: ${error.message}`));
    client.on('end', () => this.lose('the connection holding the leader lock ended'));
    this.heartbeat = setInterval(() => void this.check(heartbeatMs), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Takes the lock if no other node holds it: the lock, or null (the connection is closed again). */
  static async tryAcquire(url: string, options: LeaderLockOptions = {}): Promise<LeaderLock | null> {
    const client = await openLockSession(url, options.deadPeerMs);
    try {
      const lock = await LeaderLock.tryAcquireOn(client, options);
      if (lock) return lock;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    await client.end();
    return null;
  }

  /**
   * Takes the lock on a session the caller keeps open (a node's own, which holds its name too:
   * nodeSession.ts): the lock, or null with the session left as it was. Lost or released, the lock ends
   * that whole session, as it ends a session of its own.
   */
  static async tryAcquireOn(client: pg.Client, options: LeaderLockOptions = {}): Promise<LeaderLock | null> {
    const { rows } = await client.query<{ locked: boolean; pid: number }>('select pg_try_advisory_lock($1) as locked, pg_backend_pid() as pid', [options.key ?? LEADER_LOCK_KEY]);
    return rows[0].locked ? new LeaderLock(client, rows[0].pid, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS) : null;
  }

  /** Tries every `retryMs` until this node holds the lock, or `signal` aborts (then null). */
  static async acquire(url: string, options: LeaderLockOptions & { retryMs: number; signal?: AbortSignal }): Promise<LeaderLock | null> {
    while (!options.signal?.aborted) {
      const lock = await LeaderLock.tryAcquire(url, options);
      if (lock) return lock;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, options.retryMs);
        function done() {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', done);
          resolve();
        }
        options.signal?.addEventListener('abort', done);
      });
    }
    return null;
  }

  /** True until the lock is released or its connection lost. */
  get held(): boolean {
    return this.lostReason === null;
  }

  /** Called once, when leadership ends for any reason but `release()`; at once if it has already ended. */
  onLost(listener: (reason: string) => void): () => void {
    if (this.lostReason !== null) listener(this.lostReason);
    else this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** What the lock's own session runs with (`SHOW name`): how a test sees the dead-peer settings took. */
  async sessionSetting(name: keyof ReturnType<typeof deadPeerSettings>): Promise<string> {
    const { rows } = await this.client.query<Record<string, string>>(`show ${name}`);
    return Object.values(rows[0])[0];
  }

  /** Gives leadership up: the session ends, and with it the lock. */
  async release(): Promise<void> {
    if (this.lostReason !== null) return;
    this.lostReason = 'released';
    this.lostListeners.clear();
    clearInterval(this.heartbeat);
    await this.client.end().catch(() => undefined);
  }

  private async check(timeoutMs: number): Promise<void> {
    if (this.lostReason !== null) return;
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.client.query('select 1'), silent]);
    } catch (error) {
      this.lose(`the connection holding the leader lock failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private lose(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    clearInterval(this.heartbeat);
    // Ended from this side too, so the server lets the lock go even if only this node saw the failure.
    void this.client.end().catch(() => undefined);
    for (const listener of this.lostListeners) listener(reason);
    this.lostListeners.clear();
  }
}
