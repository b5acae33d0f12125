import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaMaterial, LocalCa } from '../pki/localCa';
import { postgresServerForFile } from '../sim/testing/postgresServerForFile';
import { exited, waitForOutput } from '../sim/testing/restartFaultInjection';
import { httpCall, TestNodes, type HttpAnswer } from '../sim/testing/testNodes';

// Two console processes on one PostgreSQL database: B, which does not lead, answers on its HTTPS port too, with A's console forwarded.
const postgres = postgresServerForFile();
const PASSWORD = 'standby-https-admin';
const API = '/api/software-upgrade';

const nodes = new TestNodes('standby-https', PASSWORD);
afterEach(() => nodes.dispose());

/** A node with an HTTPS port as well as its plain one. */
async function node(name: string, env: Record<string, string>) {
  const started = await nodes.start(name, env, { https: true });
  return { ...started, plain: started.url, https: started.https! };
}
type Node = Awaited<ReturnType<typeof node>>;
type Answer = HttpAnswer;

/** One request from a client address other than the nodes' own (127.0.0.2), over HTTPS trusting only `ca` (the CA the nodes share). */
const call = (url: string, options: Parameters<typeof httpCall>[1] = {}) => httpCall(url, { from: '127.0.0.2', ...options });

const login = (origin: string, ca: string) =>
  call(`${origin}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ username: 'admin', password: PASSWORD }), ca });

/** The session cookie a login over HTTPS sets: the `Secure`, `__Host-` one, never the plain port's. */
function secureSession(answer: Answer): string {
  const setCookie = String(answer.headers['set-cookie']?.[0]);
  expect(setCookie).toMatch(/^__Host-ewc_session=[^;]+;/);
  expect(setCookie.split(';').map((part) => part.trim())).toContain('Secure');
  return setCookie.split(';')[0];
}

const sharedCa = (n: Node) => fs.readFileSync(path.join(n.dataDir, 'pki', 'ca.crt'), 'utf8');

describe('a console node that does not lead, on its HTTPS port', () => {
  it('forwards to the leader with X-EWC-Via, gives a login over HTTPS a Secure cookie that works, answers 503 once the leader is killed, then serves its own console', async () => {
    const env = await postgres.consoleEnv();
    const a = await node('A', env);
    await waitForOutput(a.child, 'console listening');
    const b = await node('B', env);
    await waitForOutput(b.child, 'node B: standing by, node A leads');
    const ca = sharedCa(b);

    const anonymous = await call(`${b.https}${API}`, { ca });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers).toMatchObject({ 'x-ewc-node': 'A', 'x-ewc-via': 'B' });

    const loggedIn = await login(b.https, ca);
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.headers['x-ewc-via']).toBe('B');
    const cookie = secureSession(loggedIn);
    const throughB = await call(`${b.https}${API}`, { headers: { cookie }, ca });
    expect(throughB.status).toBe(200);
    expect(throughB.headers).toMatchObject({ 'x-ewc-node': 'A', 'x-ewc-via': 'B' });
    const onA = await call(`${a.https}${API}`, { headers: { cookie }, ca });
    expect(onA.status).toBe(200);
    expect(onA.headers['x-ewc-via']).toBeUndefined();
    expect(JSON.parse(throughB.body)).toEqual(JSON.parse(onA.body));
    // The Secure session stays an HTTPS one: through B's plain port (forwarding too, HOST is loopback) A does not read it.
    const plainB = await call(`${b.plain}${API}`, { headers: { cookie } });
    expect(plainB.status).toBe(401);
    expect(plainB.headers['x-ewc-via']).toBe('B');
    // RESTCONF carries a password in every request: B's plain port sends it to B's own HTTPS port, as the console's does.
    const restconf = await call(`${b.plain}/restconf/data`);
    expect(restconf.status).toBe(307);
    expect(restconf.headers.location).toBe(`${b.https}/restconf/data`);

    a.child.process.kill('SIGKILL');
    await exited(a.child);
    const gone = await call(`${b.https}${API}`, { headers: { cookie }, ca });
    expect(gone.status).toBe(503);
    expect((JSON.parse(gone.body) as { error: string }).error).toMatch(/^This console node \(B\) (is standing by: node A leads|leads now: its console is starting)/);

    await waitForOutput(b.child, 'console listening', 60_000);
    const onB = await call(`${b.https}${API}`, { headers: { cookie }, ca });
    expect(onB.status).toBe(200);
    expect(onB.headers['x-ewc-node']).toBe('B');
    expect(onB.headers['x-ewc-via']).toBeUndefined();
  }, 180_000);

  it('with plain HTTP redirect-only (as on a non-loopback HOST): the plain port sends to HTTPS, and the HTTPS port forwards to the leader over HTTPS, its certificate checked against the shared CA', async () => {
    const env = { ...(await postgres.consoleEnv()), EWC_PLAIN_HTTP_REDIRECT: '1' };
    const a = await node('A', env);
    await waitForOutput(a.child, 'console listening on https://127.0.0.1:');
    const b = await node('B', env);
    await waitForOutput(b.child, 'node B: standing by, node A leads');
    const ca = sharedCa(b);

    const redirected = await call(`${b.plain}${API}`);
    expect(redirected.status).toBe(307);
    expect(redirected.headers.location).toBe(`${b.https}${API}`);
    const plainLogin = await call(`${b.plain}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    expect(plainLogin.status).toBe(403);
    expect(plainLogin.headers['x-ewc-via']).toBeUndefined();

    const loggedIn = await login(b.https, ca);
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.headers).toMatchObject({ 'x-ewc-node': 'A', 'x-ewc-via': 'B' });
    const cookie = secureSession(loggedIn);
    const throughB = await call(`${b.https}${API}`, { headers: { cookie }, ca });
    expect(throughB.status).toBe(200);
    expect(throughB.headers).toMatchObject({ 'x-ewc-node': 'A', 'x-ewc-via': 'B' });
    expect(b.child.output()).not.toContain('not forwarding');
  }, 180_000);

  it('does not forward to a leader whose certificate comes from another CA: 503, and a log line saying why', async () => {
    const env = { ...(await postgres.consoleEnv()), EWC_PLAIN_HTTP_REDIRECT: '1' };
    // A certificate for 127.0.0.1 from a CA none of the nodes shares: a host that is not the leader it claims to be.
    const other = await LocalCa.fromMaterial(await createCaMaterial(), ['127.0.0.1']);
    const issued = await other.issueServerCertificate('EWC console', ['127.0.0.1'], new Date(Date.now() + 86_400_000));
    const certDir = nodes.tempDir('other-ca');
    fs.writeFileSync(path.join(certDir, 'console.crt'), issued.certPem);
    fs.writeFileSync(path.join(certDir, 'console.key'), issued.keyPem, { mode: 0o600 });
    const a = await node('A', { ...env, EWC_TLS_CERT: path.join(certDir, 'console.crt'), EWC_TLS_KEY: path.join(certDir, 'console.key') });
    await waitForOutput(a.child, 'console listening on https://127.0.0.1:');
    const b = await node('B', env);
    await waitForOutput(b.child, 'node B: standing by, node A leads');

    const refused = await call(`${b.https}${API}`, { ca: sharedCa(b) });
    expect(refused.status).toBe(503);
    expect(refused.headers['x-ewc-via']).toBeUndefined();
    expect((JSON.parse(refused.body) as { error: string }).error).toMatch(/^This console node \(B\) is standing by: node A leads \(.*its console at https:\/\/127\.0\.0\.1:\d+\)/);
    await waitForOutput(b.child, `node B: not forwarding to the leader at ${new URL(a.https).origin}: its HTTPS certificate is not trusted here (`);
    // Said once, not at every request a page makes meanwhile.
    expect((await call(`${b.https}${API}`, { ca: sharedCa(b) })).status).toBe(503);
    expect(b.child.output().split('not forwarding to the leader').length).toBe(2);
  }, 180_000);
});
