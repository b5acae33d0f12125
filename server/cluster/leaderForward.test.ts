import { io as connectSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ForwardProof } from '../http/forwardProof';
import { TEST_SECRET_KEY } from '../sim/testing/postgresServer';
import { postgresServerForFile } from '../sim/testing/postgresServerForFile';
import { exited, waitForOutput } from '../sim/testing/restartFaultInjection';
import { httpCall, TestNodes } from '../sim/testing/testNodes';

// Two console processes on one PostgreSQL database: B, which does not lead, forwards its web port to A, the leader.
const postgres = postgresServerForFile();
const PASSWORD = 'leader-forward-admin';

const nodes = new TestNodes('forward', PASSWORD);
afterEach(() => nodes.dispose());
const node = (name: string, databaseEnv: Record<string, string>) => nodes.start(name, databaseEnv);
const call = httpCall;

const login = (url: string, username: string, password: string, extra: { headers?: Record<string, string>; from?: string } = {}) =>
  call(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url, ...extra.headers },
    body: JSON.stringify({ username, password }),
    from: extra.from,
  });

async function auditLines(url: string): Promise<{ username: string; sourceAddress: string; action: string }[]> {
  return JSON.parse((await call(`${url}/test/audit`)).body) as { username: string; sourceAddress: string; action: string }[];
}

describe('a console node that does not lead', () => {
  it('forwards API, logins and socket.io to the leader with the true client, refuses a foreign Host itself, answers 503 while no node answers, then serves its own console', async () => {
    const databaseEnv = await postgres.consoleEnv();
    const a = await node('A', databaseEnv);
    await waitForOutput(a.child, 'console listening');
    const b = await node('B', databaseEnv);
    await waitForOutput(b.child, 'node B: standing by, node A leads');

    // Without a session: the leader's own refusal, said to come from A through B.
    const anonymous = await call(`${b.url}/api/software-upgrade`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['x-ewc-node']).toBe('A');
    expect(anonymous.headers['x-ewc-via']).toBe('B');

    // A login through B, from another client address: its session is A's, and A's audit names the client, not B.
    const loggedIn = await login(b.url, 'admin', PASSWORD, { from: '127.0.0.2' });
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.headers['x-ewc-via']).toBe('B');
    const cookie = String(loggedIn.headers['set-cookie']?.[0]).split(';')[0];
    expect(cookie).toMatch(/^ewc_session=.+/);
    const onA = await call(`${a.url}/api/software-upgrade`, { headers: { cookie } });
    expect(onA.status).toBe(200);
    expect(onA.headers['x-ewc-node']).toBe('A');
    expect(onA.headers['x-ewc-via']).toBeUndefined();
    const throughB = await call(`${b.url}/api/software-upgrade`, { headers: { cookie } });
    expect(throughB.status).toBe(200);
    expect(throughB.headers).toMatchObject({ 'x-ewc-node': 'A', 'x-ewc-via': 'B' });
    expect(JSON.parse(throughB.body)).toEqual(JSON.parse(onA.body));
    expect((await auditLines(a.url)).filter((line) => line.action === 'login')).toEqual([expect.objectContaining({ username: 'admin', sourceAddress: '127.0.0.2' })]);

    // The live page's socket, through B over WebSocket: A's snapshot.
    const socket = connectSocket(b.url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
    try {
      const snapshot = await new Promise<unknown>((resolve, reject) => {
        socket.on('snapshot:sent', resolve);
        socket.on('connect_error', reject);
      });
      expect(snapshot).toMatchObject({ upgrade: { stage: (JSON.parse(onA.body) as { stage: string }).stage } });
    } finally {
      socket.disconnect();
    }

    // Sent straight to A: a forged proof, a proof under another key, and B's real proof replayed under A's Host are
    // all ignored; the failed logins are the socket's own (127.0.0.3), never the address the header names.
    const now = Date.now();
    const forged = [
      `B;10.9.8.7;https;${Math.floor(now / 1000)};${'A'.repeat(43)}`,
      new ForwardProof(Buffer.alloc(32, 7).toString('base64')).sign({ node: 'B', address: '10.9.8.7', secure: false }, a.host, now),
      new ForwardProof(TEST_SECRET_KEY).sign({ node: 'B', address: '10.9.8.7', secure: false }, b.host, now),
    ];
    for (const header of forged) {
      const refused = await login(a.url, 'nobody', 'wrong password', { headers: { 'x-ewc-forwarded': header }, from: '127.0.0.3' });
      expect(refused.status, header).toBe(401);
    }
    // The key's own proof for A's Host is trusted: the check can tell the two apart.
    const proven = await login(a.url, 'nobody', 'wrong password', {
      headers: { 'x-ewc-forwarded': new ForwardProof(TEST_SECRET_KEY).sign({ node: 'B', address: '10.9.8.6', secure: false }, a.host) },
      from: '127.0.0.3',
    });
    expect(proven.status).toBe(401);
    const failures = (await auditLines(a.url)).filter((line) => line.action === 'login.failed').map((line) => line.sourceAddress);
    expect(failures).toEqual(['127.0.0.3', '127.0.0.3', '127.0.0.3', '10.9.8.6']);

    // A foreign Host is refused by B itself (the DNS-rebinding guard), never passed to A.
    const foreign = await call(`${b.url}/api/software-upgrade`, { headers: { host: 'evil.example', cookie } });
    expect(foreign.status).toBe(400);
    expect(JSON.parse(foreign.body)).toEqual({ error: 'This console does not answer to the host name "evil.example"; add it to EWC_ALLOWED_HOSTS if it is yours.' });
    expect(foreign.headers['x-ewc-via']).toBeUndefined();

    // A killed: until B leads, B answers with its standby sentence, to the API and to a page.
    a.child.process.kill('SIGKILL');
    await exited(a.child);
    const sentence =
      /^This console node \(B\) is standing by: node A leads \(since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, its console at http:\/\/127\.0\.0\.1:\d+\)\. This node takes over within 3 s if A stops\.$/;
    const starting = 'This console node (B) leads now: its console is starting, and this page becomes the console once it answers.';
    const gone = await call(`${b.url}/api/software-upgrade`, { headers: { cookie } });
    expect(gone.status).toBe(503);
    expect(gone.headers['retry-after']).toBe('1');
    expect((JSON.parse(gone.body) as { error: string }).error).toSatisfy((error: string) => sentence.test(error) || error === starting);
    const page = await call(`${b.url}/administration/software-management/software-upgrade`, { headers: { cookie } });
    expect(page.status).toBe(503);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<meta http-equiv="refresh" content="1">');
    expect(page.body).toMatch(/<h1>Console node B: (standing by|starting)<\/h1>/);

    // B leads: its own console, the same session (kept in the database), nothing forwarded.
    await waitForOutput(b.child, 'console listening', 60_000);
    const onB = await call(`${b.url}/api/software-upgrade`, { headers: { cookie } });
    expect(onB.status).toBe(200);
    expect(onB.headers['x-ewc-node']).toBe('B');
    expect(onB.headers['x-ewc-via']).toBeUndefined();
  }, 180_000);
});
