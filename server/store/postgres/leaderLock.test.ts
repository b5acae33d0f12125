import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresServerForFile } from '../../sim/testing/postgresServerForFile';
import { deadPeerSettings, LeaderLock } from './leaderLock';

// Two would-be leaders on a real PostgreSQL server: one holds the lock, the other gets it when the first lets go or loses its connection.
const postgres = postgresServerForFile();

const locks: LeaderLock[] = [];
afterEach(async () => {
  for (const lock of locks.splice(0)) await lock.release();
});
const held = (lock: LeaderLock | null): LeaderLock => {
  expect(lock).not.toBeNull();
  locks.push(lock!);
  return lock!;
};

async function terminateBackend(url: string, pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

describe('the leader lock', () => {
  it('is held by one node at a time; released, the next node takes it', async () => {
    const url = await postgres.createDatabase();
    const first = held(await LeaderLock.tryAcquire(url));
    expect(first.held).toBe(true);
    expect(await LeaderLock.tryAcquire(url)).toBeNull();
    await first.release();
    expect(first.held).toBe(false);
    const second = held(await LeaderLock.tryAcquire(url));
    expect(second.held).toBe(true);
  });

  it("passes to the waiting node when the leader's connection dies, and the leader learns it lost", async () => {
    const url = await postgres.createDatabase();
    const first = held(await LeaderLock.tryAcquire(url));
    const lost = new Promise<string>((resolve) => first.onLost(resolve));
    const waiting = new AbortController();
    const contender = LeaderLock.acquire(url, { retryMs: 50, signal: waiting.signal });
    expect(await LeaderLock.tryAcquire(url)).toBeNull();

    // What a crashed node or a cut connection looks like from the server: the session holding the lock ends.
    await terminateBackend(url, first.backendPid);
    expect(await lost).toMatch(/^the connection holding the leader lock (failed|ended)/);
    expect(first.held).toBe(false);
    const second = held(await contender);
    expect(second.held).toBe(true);
    expect(second.backendPid).not.toBe(first.backendPid);
    expect(await LeaderLock.tryAcquire(url)).toBeNull();
  });

  it('finds a connection that stops answering with its heartbeat, and leaves the lock to the server to free', async () => {
    const url = await postgres.createDatabase();
    const leader = held(await LeaderLock.tryAcquire(url, { heartbeatMs: 100 }));
    const lost = new Promise<string>((resolve) => leader.onLost(resolve));
    // The session's server process stopped stands in for a silent network: nothing is closed, nothing answers.
    process.kill(leader.backendPid, 'SIGSTOP');
    try {
      expect(await lost).toBe('the connection holding the leader lock failed: no answer within 100 ms');
      expect(leader.held).toBe(false);
      // The server keeps the lock until the session really ends: never two leaders, even while the first one is unsure.
      expect(await LeaderLock.tryAcquire(url)).toBeNull();
    } finally {
      process.kill(leader.backendPid, 'SIGCONT');
    }
    // Woken, the session reads the leader's goodbye and ends; the lock is free for the next node.
    held(await LeaderLock.acquire(url, { retryMs: 50 }));
  });

  it("has the server end a silent lock holder's session in about the leader timeout (keepalives and tcp_user_timeout on its connection)", async () => {
    const url = await postgres.createDatabase();
    const lock = held(await LeaderLock.tryAcquire(url, { deadPeerMs: 15_000 }));
    expect(deadPeerSettings(15_000)).toEqual({ tcp_keepalives_idle: 5, tcp_keepalives_interval: 2, tcp_keepalives_count: 4, tcp_user_timeout: 15_000 });
    // What PostgreSQL 15 itself says it runs the session with, in its own units.
    expect(await lock.sessionSetting('tcp_keepalives_idle')).toBe('5');
    expect(await lock.sessionSetting('tcp_keepalives_interval')).toBe('2');
    expect(await lock.sessionSetting('tcp_keepalives_count')).toBe('4');
    expect(await lock.sessionSetting('tcp_user_timeout')).toBe('15000');
    expect(deadPeerSettings(1000)).toEqual({ tcp_keepalives_idle: 1, tcp_keepalives_interval: 1, tcp_keepalives_count: 4, tcp_user_timeout: 1000 });
  });
});
