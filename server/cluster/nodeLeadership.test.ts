import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { postgresServerForFile } from '../sim/testing/postgresServerForFile';
import { TEST_SECRET_KEY } from '../sim/testing/postgresServer';
import { NodeLeadership } from './nodeLeadership';
import { standbySentence } from './standbyPage';

// Two console nodes on one real PostgreSQL database: one leads, the other stands by, says who leads, and takes over.
const postgres = postgresServerForFile();

const nodes: NodeLeadership[] = [];
const dataDirs = new Map<string, string>();
afterEach(async () => {
  for (const node of nodes.splice(0)) await node.stop();
  for (const dir of dataDirs.values()) fs.rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
});

async function join(url: string, name: string, webUrl: string): Promise<NodeLeadership> {
  // Each node its own data folder (kept across a node's restarts within a test).
  const dataDir = dataDirs.get(name) ?? fs.mkdtempSync(path.join(os.tmpdir(), `ewc-${name}-`));
  dataDirs.set(name, dataDir);
  const config = loadConfig({ EWC_DATABASE_URL: url, EWC_SECRET_KEY: TEST_SECRET_KEY, EWC_NODE_NAME: name, EWC_LEADER_TIMEOUT_MS: '1000', EWC_DATA_DIR: dataDir });
  const node = new NodeLeadership(config);
  nodes.push(node);
  await node.join(webUrl);
  return node;
}

async function terminateLockSessions(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // The leader lock's session is the one holding a one-key advisory lock (the nodes' name locks have two keys): what a killed node's process leaves the server to end.
    await admin.query("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objsubid = 1 and pid <> pg_backend_pid()");
  } finally {
    await admin.end();
  }
}

describe('console nodes on one database', () => {
  it('lets one lead; the second stands by, says who leads, and takes over once the leader ends', async () => {
    const url = await postgres.createDatabase();
    const a = await join(url, 'ewc-a', 'http://127.0.0.1:3001');
    expect(await a.lead()).toEqual({ takenOverFrom: null });
    await a.listening({ webUrl: 'http://127.0.0.1:3001/administration/software-management/software-upgrade', apUrl: 'https://127.0.0.1:5247', cliUrl: 'ssh://127.0.0.1:2023' });
    const lost = new Promise<string>((resolve) => a['lock']!.onLost(resolve));

    const b = await join(url, 'ewc-b', 'http://127.0.0.1:3002');
    expect(b.describeStandby()).toBe('node ewc-b: standing by, node ewc-a leads');
    // Standing by, b already holds what `npm run fleet` beside it reads: the CA and join token every node shares.
    const pkiFile = (node: string, file: string) => fs.readFileSync(path.join(dataDirs.get(node)!, 'pki', file), 'utf8');
    expect(pkiFile('ewc-b', 'ca.crt')).toBe(pkiFile('ewc-a', 'ca.crt'));
    expect(pkiFile('ewc-b', 'fleet-join-token')).toBe(pkiFile('ewc-a', 'fleet-join-token'));
    // And the CLI's host key, so that ssh meets the key it trusted whichever node answers.
    const hostKey = (node: string) => fs.readFileSync(path.join(dataDirs.get(node)!, 'cli-ssh-host-key'), 'utf8');
    expect(hostKey('ewc-b')).toBe(hostKey('ewc-a'));
    expect(b.status).toMatchObject({ node: 'ewc-b', leader: { name: 'ewc-a', role: 'leader', apUrl: 'https://127.0.0.1:5247', cliUrl: 'ssh://127.0.0.1:2023' }, takeoverWithinS: 1, retryAfterS: 1 });
    expect(standbySentence(b.status)).toMatch(
      /^This console node \(ewc-b\) is standing by: node ewc-a leads \(since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, its console at http:\/\/127\.0\.0\.1:3001\/administration\/software-management\/software-upgrade\)\. This node takes over within 1 s if ewc-a stops\.$/,
    );
    let bLeads = false;
    const standbyLines: string[] = [];
    const taking = b
      .lead((node) => standbyLines.push(node.describeStandby()))
      .then((leading) => {
        bLeads = true;
        return leading;
      });
    // Several of b's tries go by while a holds the lock.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(bLeads).toBe(false);
    expect(standbyLines).toEqual(['node ewc-b: standing by, node ewc-a leads']);

    const endedAt = Date.now();
    await terminateLockSessions(url);
    expect(await lost).toMatch(/^the connection holding the leader lock (failed|ended)/);
    expect(await taking).toEqual({ takenOverFrom: 'ewc-a' });
    // Until its console listens, b's port says it leads and is starting, no longer that ewc-a leads.
    expect(b.status.starting).toBe(true);
    expect(standbySentence(b.status)).toBe('This console node (ewc-b) leads now: its console is starting, and this page becomes the console once it answers.');
    console.log(`took over ${Date.now() - endedAt} ms after the leader's session ended (EWC_LEADER_TIMEOUT_MS 1000)`);

    // The first node, started again, stands by behind the second.
    const again = await join(url, 'ewc-a', 'http://127.0.0.1:3001');
    expect(again.describeStandby()).toBe('node ewc-a: standing by, node ewc-b leads');
  });

  it('tells a restart of the leader from a takeover, and a graceful stop frees the lock at once for a standby to take over', async () => {
    const url = await postgres.createDatabase();
    const a = await join(url, 'ewc-a', 'http://127.0.0.1:3001');
    await a.lead();
    await a.stop();
    nodes.splice(nodes.indexOf(a), 1);
    const restarted = await join(url, 'ewc-a', 'http://127.0.0.1:3001');
    const standbyLines: string[] = [];
    expect(await restarted.lead((node) => standbyLines.push(node.describeStandby()))).toEqual({ takenOverFrom: null });
    expect(standbyLines).toEqual([]);

    // Stopped gracefully while a standby waits: the standby takes over the node that led last.
    const b = await join(url, 'ewc-b', 'http://127.0.0.1:3002');
    const taking = b.lead();
    await restarted.stop();
    nodes.splice(nodes.indexOf(restarted), 1);
    expect(await taking).toEqual({ takenOverFrom: 'ewc-a' });
    // And the first node, started again while the second leads, stands by and is no longer said to lead.
    const third = await join(url, 'ewc-a', 'http://127.0.0.1:3001');
    expect(third.describeStandby()).toBe('node ewc-a: standing by, node ewc-b leads');
  });

  it('leads at once on SQLite, alone', async () => {
    const node = new NodeLeadership(loadConfig({ EWC_NODE_NAME: 'solo' }));
    await node.join('http://127.0.0.1:3001');
    expect(node.shared).toBe(false);
    expect(await node.lead()).toEqual({ takenOverFrom: null });
    await node.stop();
  });
});
