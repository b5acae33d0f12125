import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresServerForFile } from '../../sim/testing/postgresServerForFile';
import { LeaderLock } from './leaderLock';
import { NodeSession } from './nodeSession';

// A node's own session on a real PostgreSQL server: its name is held while the session lives, whichever way it ends.
const postgres = postgresServerForFile();

const sessions: NodeSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.end();
});
const claim = async (url: string, name: string): Promise<NodeSession | null> => {
  const session = await NodeSession.claim(url, name, { deadPeerMs: 3000 });
  if (session) sessions.push(session);
  return session;
};
const timings = { heartbeatMs: 1000, deadPeerMs: 3000 };

async function terminateBackend(url: string, pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

describe("a node's session", () => {
  it('holds its name: a second claim of it is refused until the session ends, by the node or by the server', async () => {
    const url = await postgres.createDatabase();
    const first = await claim(url, 'B');
    expect(first).not.toBeNull();
    expect(await claim(url, 'B')).toBeNull();
    expect(await claim(url, 'C')).not.toBeNull();

    await first!.end();
    const second = await claim(url, 'B');
    expect(second).not.toBeNull();

    // What the server does to a killed node's session, or to a silent one once its keepalives go unanswered.
    await terminateBackend(url, second!.backendPid);
    expect(await claim(url, 'B')).not.toBeNull();
  });

  it('takes the leader lock on the same session, apart from the name: ending it frees both', async () => {
    const url = await postgres.createDatabase();
    const a = (await claim(url, 'A'))!;
    const b = (await claim(url, 'B'))!;
    const lock = await a.tryLead(timings);
    expect(lock?.backendPid).toBe(a.backendPid);
    expect(await b.tryLead(timings)).toBeNull();
    expect(await LeaderLock.tryAcquire(url)).toBeNull();

    const lost = new Promise<string>((resolve) => lock!.onLost(resolve));
    await terminateBackend(url, a.backendPid);
    expect(await lost).toMatch(/^the connection holding the leader lock (failed|ended)/);
    await expect(a.tryLead(timings)).rejects.toThrow(/^the database session holding this node's name ended/);
    const next = await b.tryLead(timings);
    expect(next).not.toBeNull();
    expect(await claim(url, 'A')).not.toBeNull();
    await next!.release();
  });
});
