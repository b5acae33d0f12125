import type { ConsoleConfig } from '../config';
import { sharedTrustDirsOf } from '../pki/apTrust';
import { loadSharedTrust, type SharedTrustMaterial } from '../pki/sharedTrust';
import { loadSecretBox } from '../secrets/secretBox';
import { consoleNodeRows, type ConsoleNodeRecord } from '../store/consoleNodeRepository';
import type { LeaderLock } from '../store/postgres/leaderLock';
import type { NodeSession } from '../store/postgres/nodeSession';
import { openStore, type Store } from '../store/store';
import { claimNodeName, stopWhileStandingBy, unseenForS } from './nodeName';

/**
 * Which console node runs the console: on PostgreSQL, only the node holding the leader lock
 * (server/store/postgres/leaderLock.ts) creates it (projections, runs, the AP port, the CLI); every other
 * node on the database stands by, forwarding its web port to the leader's or answering 503 (standbyPage.ts), and takes the lock
 * once the leader's session ends. Active/standby, never two writers: each node keeps the fleet and the
 * upgrade in memory and writes behind, so two running at once would overwrite each other's rows. On SQLite
 * the node is the only one and leads at once. server/main.ts and the test console process both use it.
 */

/**
 * Everything from `EWC_LEADER_TIMEOUT_MS`: a standby asks for the lock five times within it, the leader
 * checks its lock connection three times within it (a silent one ends leadership after at most two
 * checks), and the server ends a silent holder's session in about it.
 */
export function leadershipTimings(leaderTimeoutMs: number): { retryMs: number; heartbeatMs: number; deadPeerMs: number } {
  return { retryMs: Math.floor(leaderTimeoutMs / 5), heartbeatMs: Math.floor(leaderTimeoutMs / 3), deadPeerMs: leaderTimeoutMs };
}

/** What a standby says about itself and the leader. */
export interface StandbyStatus {
  node: string;
  /** The node that says it leads; null while the lock's holder has not said so yet. */
  leader: ConsoleNodeRecord | null;
  /** Seconds since the leader's row was refreshed, once longer than the leader timeout (it was killed or stopped answering); null while fresh. */
  leaderUnseenS: number | null;
  /** Whole seconds within which this node takes over once the leader stops. */
  takeoverWithinS: number;
  /** How often this node asks for the lock, in whole seconds: what a client waits before asking again. */
  retryAfterS: number;
  /** This node holds the lock now and its console is starting (the port still answers 503 until it listens). */
  starting: boolean;
}

export interface Leading {
  /** The node that led before this one, when it is another: the resumed upgrade is a takeover, not a restart. */
  takenOverFrom: string | null;
}

export class NodeLeadership {
  private lock: LeaderLock | null = null;
  private leaderSeen: ConsoleNodeRecord | null = null;
  private refresh: NodeJS.Timeout | null = null;
  private starting = false;
  private readonly timings: ReturnType<typeof leadershipTimings>;

  /** Set by `join` on PostgreSQL; null on SQLite (one node, nothing to share). */
  private cluster: { store: Store; session: NodeSession; endStandbyStop: () => void } | null = null;
  private trust: SharedTrustMaterial | null = null;

  constructor(private readonly config: ConsoleConfig) {
    this.timings = leadershipTimings(config.node.leaderTimeoutMs);
  }

  /** Says this node is here (a standby until it leads) and reads who leads now. `webUrl`: where this node's web port answers. */
  async join(webUrl: string): Promise<void> {
    if (this.config.database.engine !== 'postgres') return;
    // Migrates too (under the migration lock), so a node newer than the leader can say it stands by.
    const store = await openStore(this.config.database);
    let session: NodeSession | null = null;
    try {
      session = await claimNodeName(store.db, this.config.database.url, this.name, this.timings);
      // What `npm run fleet` beside this node reads (pki/ca.crt, pki/fleet-join-token, the vendor keys), written
      // while it stands by too, from the trust every node shares (a key found in its folder joins it).
      this.trust = await loadSharedTrust(store.db, loadSecretBox(this.config.dataDir, this.config.secretKey).box, sharedTrustDirsOf(this.config));
      await consoleNodeRows.standingBy(store.db, { name: this.name, webUrl, startedAt: new Date().toISOString() });
      this.leaderSeen = await consoleNodeRows.leader(store.db);
    } catch (error) {
      await session?.end();
      await store.close();
      throw error;
    }
    this.cluster = { store, session, endStandbyStop: stopWhileStandingBy({ name: this.name, db: store.db, session }) };
  }

  /** The CA and join token every node on the database shares, once joined: a standby's HTTPS port presents a certificate from this CA, as the console would. */
  get sharedTrust(): SharedTrustMaterial | null {
    return this.trust;
  }

  get name(): string {
    return this.config.node.name;
  }

  /** Several nodes may share this node's database (PostgreSQL). */
  get shared(): boolean {
    return this.config.database.engine === 'postgres';
  }

  get status(): StandbyStatus {
    const leader = this.leaderSeen?.name === this.name ? null : this.leaderSeen;
    return {
      node: this.name,
      leader,
      leaderUnseenS: leader ? unseenForS(leader, this.config.node.leaderTimeoutMs) : null,
      takeoverWithinS: Math.ceil(this.config.node.leaderTimeoutMs / 1000),
      retryAfterS: Math.max(1, Math.ceil(this.timings.retryMs / 1000)),
      starting: this.starting,
    };
  }

  /** `node B: standing by, node A leads`: what the start-up prints while it waits. */
  describeStandby(): string {
    const { leader, leaderUnseenS } = this.status;
    if (leader && leaderUnseenS !== null) return `node ${this.name}: standing by, another node holds the leader lock (node ${leader.name} led, last seen ${leaderUnseenS} s ago)`;
    return `node ${this.name}: standing by, ${leader ? `node ${leader.name} leads` : 'another node holds the leader lock'}`;
  }

  /**
   * Waits until this node holds the lock (at once on SQLite), refreshing what it knows of the leader
   * meanwhile; `standingBy` is told once, when the first try finds the lock held.
   */
  async lead(standingBy?: (node: NodeLeadership) => void): Promise<Leading> {
    if (!this.cluster) return { takenOverFrom: null };
    const { store, session } = this.cluster;
    const options = { heartbeatMs: this.timings.heartbeatMs, deadPeerMs: this.timings.deadPeerMs };
    for (;;) {
      const lock = await session.tryLead(options);
      if (lock) {
        this.lock = lock;
        break;
      }
      this.leaderSeen = await consoleNodeRows.leader(store.db);
      await consoleNodeRows.seen(store.db, this.name);
      standingBy?.(this);
      standingBy = undefined;
      await new Promise((resolve) => setTimeout(resolve, this.timings.retryMs));
    }
    this.cluster.endStandbyStop();
    const before = await consoleNodeRows.takeLead(store.db, this.name);
    this.leaderSeen = null;
    this.starting = true;
    // The leader's row says it is alive; a standby reads who leads from it.
    this.refresh = setInterval(() => void consoleNodeRows.seen(store.db, this.name).catch(() => undefined), this.timings.heartbeatMs);
    this.refresh.unref();
    return { takenOverFrom: before !== null && before !== this.name ? before : null };
  }

  /**
   * Fencing: a node that lost the lock while leading (its connection failed or went silent) may already
   * have a successor, so it stops at once, non-zero, and its supervisor starts it again as a standby.
   */
  exitOnLoss(log: (line: string) => void = (line) => console.error(line)): void {
    this.lock?.onLost((reason) => {
      log(`Controller node ${this.name} lost the leader lock (${reason}); stopping so that another node can lead`);
      process.exit(1);
    });
  }

  /** Where this node's console, AP port and CLI answer, once they listen. */
  async listening(urls: { webUrl: string; apUrl: string; cliUrl: string }): Promise<void> {
    if (!this.cluster) return;
    await consoleNodeRows.listening(this.cluster.store.db, this.name, urls);
  }

  /** A graceful stop: the lock released, so a standby takes over at its next try, and this node's row says it stopped. */
  async stop(): Promise<void> {
    if (!this.cluster) return;
    if (this.refresh) clearInterval(this.refresh);
    this.cluster.endStandbyStop();
    await consoleNodeRows.stopped(this.cluster.store.db, this.name).catch(() => undefined);
    await this.lock?.release();
    await this.cluster.session.end();
    await this.cluster.store.close();
  }
}
