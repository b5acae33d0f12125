import { createHash } from 'node:crypto';
import type pg from 'pg';
import { LeaderLock, openLockSession } from './leaderLock';

/**
 * A console node's own PostgreSQL session, from its start to its stop. It holds the node's name (a
 * session-level advisory lock keyed by the name) for the node's whole life, and the leader lock too once
 * the node leads (leaderLock.ts). PostgreSQL frees both when the session ends, however it ends, so a name
 * is taken exactly while its node's session lives: a second node given the same name is refused, and a
 * node killed with SIGKILL can start again under its name once the server sees its session end (at once
 * for a killed process, in about `deadPeerMs` for a vanished machine: the session's keepalives). One session
 * for both, so a node never keeps leading after losing its name, nor keeps its name after losing the lead.
 */

// The two-key form of the advisory locks, a key space of its own: PostgreSQL never confuses it with the
// single-key leader and migration locks, whatever the numbers.
export const NODE_NAME_LOCK_SPACE = 0x6577634e;

/** The name's second key: 32 bits of its SHA-256 (two names share one about once in four billion pairs, and would be taken for one). */
export function nodeNameKey(name: string): number {
  return createHash('sha256').update(name).digest().readInt32BE(0);
}

export interface NodeSessionOptions {
  /** About how long the server waits for a silent node before it ends the session and frees its name and lock. */
  deadPeerMs: number;
}

export class NodeSession {
  private endedReason: string | null = null;
  private retired = false;

  private constructor(
    private readonly client: pg.Client,
    /** The PostgreSQL backend process of this session (what `pg_stat_activity` shows). */
    readonly backendPid: number,
  ) {
    client.on('error', (error) => (this.endedReason ??= `it failed: ${error.message}`));
    client.on('end', () => (this.endedReason ??= 'it ended'));
  }

  /** Opens the session and takes the name on it: the session, or null (closed again) when a live session of another node holds the name. */
  static async claim(url: string, name: string, options: NodeSessionOptions): Promise<NodeSession | null> {
    const client = await openLockSession(url, options.deadPeerMs);
    try {
      const { rows } = await client.query<{ locked: boolean; pid: number }>('select pg_try_advisory_lock($1, $2) as locked, pg_backend_pid() as pid', [NODE_NAME_LOCK_SPACE, nodeNameKey(name)]);
      if (rows[0].locked) return new NodeSession(client, rows[0].pid);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    await client.end();
    return null;
  }

  /**
   * Tries for the leader lock on this session. An answer slower than `deadPeerMs` is a silent connection and
   * fails: by then the server may have ended the session and freed this node's name. A node that is stopping
   * never leads: once `retire()` or `end()` is called, the answer never comes (the process is exiting, its
   * session ended), not even a failure that would say the node failed.
   */
  async tryLead(options: { heartbeatMs: number; deadPeerMs: number }): Promise<LeaderLock | null> {
    if (this.retired) return new Promise<never>(() => undefined);
    if (this.endedReason !== null) throw new Error(`the database session holding this node's name ended (${this.endedReason})`);
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the database session holding this node's name gave no answer within ${options.deadPeerMs} ms`)), options.deadPeerMs);
    });
    try {
      const lock = await Promise.race([LeaderLock.tryAcquireOn(this.client, { heartbeatMs: options.heartbeatMs }), silent]);
      if (!this.retired) return lock;
    } catch (error) {
      if (!this.retired) throw error;
    } finally {
      clearTimeout(timer);
    }
    return new Promise<never>(() => undefined);
  }

  /** The node is stopping: it takes the lead no more, whatever a try in flight answers. */
  retire(): void {
    this.retired = true;
  }

  /** Ends the session: the name (and the leader lock, if held) are free at once. */
  async end(): Promise<void> {
    this.retired = true;
    this.endedReason ??= 'ended by this node';
    await this.client.end().catch(() => undefined);
  }
}
