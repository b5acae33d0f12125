import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { postgresServerForFile } from '../sim/testing/postgresServerForFile';
import { TEST_SECRET_KEY } from '../sim/testing/postgresServer';
import { exited, waitForOutput, type Child } from '../sim/testing/restartFaultInjection';
import { TestNodes } from '../sim/testing/testNodes';
import { NodeSession } from '../store/postgres/nodeSession';
import { openStore } from '../store/store';
import { NodeLeadership } from './nodeLeadership';
import { claimNodeName } from './nodeName';
import { standbySentence } from './standbyPage';

// Console nodes on one real PostgreSQL database, as their own processes (server/sim/testing/consoleProcess.ts) where
// a test stops or kills them: one name is one running node's, and what `console_node` says of a node is true of it.
const postgres = postgresServerForFile();

const processes = new TestNodes('node', 'node-name-admin');
const nodes: NodeLeadership[] = [];
afterEach(async () => {
  for (const node of nodes.splice(0)) await node.stop();
  await processes.dispose();
});
const tempDir = (name: string) => processes.tempDir(name);

/** A console node process named `name` on the database, with its own data folder and ports. */
async function startNode(databaseEnv: Record<string, string>, name: string): Promise<{ child: Child; webUrl: string }> {
  const started = await processes.start(name, databaseEnv, { cli: true });
  return { child: started.child, webUrl: started.url };
}

/** The exit code, or 'running' when the process has not ended within `ms` (a bound for a failing run, not a timing). */
function exitedWithin(child: Child, ms: number): Promise<number | null | 'running'> {
  return Promise.race([exited(child), new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), ms))]);
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return (await admin.query<T>(text)).rows;
  } finally {
    await admin.end();
  }
}

type NodeRow = { name: string; role: string; web_url: string; last_seen: string };
const nodeRows = (url: string) => query<NodeRow>(url, 'select name, role, web_url, last_seen from console_node order by name');

describe('a console node name', () => {
  it("is one running node's: a second node given it refuses to start, exit 1, saying which node runs, and leaves that node leading; the name is free again once the first node's session ends", async () => {
    const databaseEnv = await postgres.consoleEnv();
    const url = databaseEnv.EWC_DATABASE_URL;
    const first = await startNode(databaseEnv, 'B');
    await waitForOutput(first.child, 'console listening');
    expect(await nodeRows(url)).toMatchObject([{ name: 'B', role: 'leader', web_url: first.webUrl }]);

    const twin = await startNode(databaseEnv, 'B');
    const twinExit = await exitedWithin(twin.child, 60_000);
    expect(twinExit, twin.child.output()).toBe(1);
    expect(twin.child.output()).toContain(`Another console node named B is running on this database (its console at ${first.webUrl}, last seen `);
    expect(twin.child.output()).toMatch(/\(its console at http:\/\/127\.0\.0\.1:\d+, last seen \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\); give this node its own EWC_NODE_NAME\n/);
    // The running node is untouched: still running, still the one row, still leading where it said, still answering.
    expect(first.child.process.exitCode).toBeNull();
    expect(await nodeRows(url)).toMatchObject([{ name: 'B', role: 'leader', web_url: first.webUrl }]);
    expect((await fetch(`${first.webUrl}/test/upgrade`)).status).toBe(200);

    first.child.process.kill('SIGKILL');
    await exited(first.child);
    // A killed process's session is ended by the server as soon as it notices; a vanished machine's within the
    // session's keepalives. Ended by hand here, rather than waited for.
    await query(url, "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and pid <> pg_backend_pid()");
    const again = await startNode(databaseEnv, 'B');
    await waitForOutput(again.child, 'console listening');
    expect(await nodeRows(url)).toMatchObject([{ name: 'B', role: 'leader', web_url: again.webUrl }]);
  }, 180_000);

  it('stopped with SIGTERM while standing by, marks its row stopped (at the time it stopped) and frees its name; so does a leader', async () => {
    const databaseEnv = await postgres.consoleEnv();
    const url = databaseEnv.EWC_DATABASE_URL;
    const a = await startNode(databaseEnv, 'A');
    await waitForOutput(a.child, 'console listening');
    const b = await startNode(databaseEnv, 'B');
    await waitForOutput(b.child, 'node B: standing by, node A leads');
    expect(await nodeRows(url)).toMatchObject([
      { name: 'A', role: 'leader' },
      { name: 'B', role: 'standby' },
    ]);

    const signalled = new Date().toISOString();
    b.child.process.kill('SIGTERM');
    expect(await exitedWithin(b.child, 30_000), b.child.output()).toBe(0);
    expect(b.child.output()).toContain('node B: stopped while standing by (controller stopped by SIGTERM)');
    const afterB = await nodeRows(url);
    expect(afterB).toMatchObject([
      { name: 'A', role: 'leader' },
      { name: 'B', role: 'stopped' },
    ]);
    expect(afterB[1].last_seen >= signalled).toBe(true);

    // Its name is free at once: started again, it stands by.
    const bAgain = await startNode(databaseEnv, 'B');
    await waitForOutput(bAgain.child, 'node B: standing by, node A leads');

    a.child.process.kill('SIGTERM');
    expect(await exitedWithin(a.child, 30_000), a.child.output()).toBe(0);
    // B takes over from the node that stopped; A's row says it stopped.
    await waitForOutput(bAgain.child, 'console listening');
    expect(await nodeRows(url)).toMatchObject([
      { name: 'A', role: 'stopped' },
      { name: 'B', role: 'leader' },
    ]);
  }, 180_000);
});

describe("a leader's row not refreshed within the leader timeout", () => {
  it('is not said to lead: the standby says another node holds the lock and when the last leader was seen', async () => {
    const url = await postgres.createDatabase();
    const join = async (name: string, webUrl: string) => {
      const config = loadConfig({ EWC_DATABASE_URL: url, EWC_SECRET_KEY: TEST_SECRET_KEY, EWC_NODE_NAME: name, EWC_LEADER_TIMEOUT_MS: '1000', EWC_DATA_DIR: tempDir(name) });
      const node = new NodeLeadership(config);
      nodes.push(node);
      await node.join(webUrl);
      return node;
    };
    const a = await join('ewc-a', 'http://127.0.0.1:3001');
    await a.lead();
    // A leader that stopped answering (its process stalled, its machine gone before the server ended its session):
    // it holds the lock, and its row was last refreshed 40 s ago.
    clearInterval(a['refresh']!);
    await query(url, `update console_node set last_seen = '${new Date(Date.now() - 40_000).toISOString()}' where name = 'ewc-a'`);

    const b = await join('ewc-b', 'http://127.0.0.1:3002');
    expect(b.describeStandby()).toMatch(/^node ewc-b: standing by, another node holds the leader lock \(node ewc-a led, last seen 4\d s ago\)$/);
    expect(standbySentence(b.status)).toMatch(
      /^This console node \(ewc-b\) is standing by: another node holds the leader lock; node ewc-a, the last to lead \(its console at http:\/\/127\.0\.0\.1:3001\), was last seen 4\d s ago\. This node takes over once the lock is free\.$/,
    );
  });
});

describe('claiming a name', () => {
  it('waits for a session holding it that ends within the dead-peer time (a node restarted at once after it died), and refuses one that stays', async () => {
    const url = await postgres.createDatabase();
    const store = await openStore(loadConfig({ EWC_DATABASE_URL: url, EWC_SECRET_KEY: TEST_SECRET_KEY }).database);
    try {
      const dying = (await NodeSession.claim(url, 'B', { deadPeerMs: 3000 }))!;
      const lines: string[] = [];
      const claiming = claimNodeName(store.db, url, 'B', { retryMs: 50, deadPeerMs: 60_000 }, (line) => lines.push(line));
      while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await dying.end();
      const session = await claiming;
      expect(lines).toEqual(['node B: another session on this database holds the name B; asking again for up to 60 s, in case its node has just stopped']);

      // Held past the wait, by a node that has not written its row yet: refused, saying only what is known.
      await expect(claimNodeName(store.db, url, 'B', { retryMs: 50, deadPeerMs: 200 }, () => undefined)).rejects.toThrow(
        /^Another console node named B is running on this database; give this node its own EWC_NODE_NAME$/,
      );
      await session.end();
    } finally {
      await store.close();
    }
  });
});
