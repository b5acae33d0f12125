import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../sim/testing/consoleHarness';
import { startHttpsConsole, type HttpsConsole, type Reply } from '../sim/testing/httpsConsole';
import { ACCESS_POINT_OPER } from './accessPointOper';
import { AP_GLOBAL_OPER } from './apGlobalOper';
import { basic, errorOf, restconfRequest } from '../sim/testing/restconfClient';
import { createUser } from '../app/users/createUser';

// What RESTCONF refuses, and to whom, on a console of its own: every request here draws from one address's RESTCONF budget.
const STATS = `/restconf/data/${AP_GLOBAL_OPER}:ap-global-oper-data/ap-img-predownload-stats`;
const CAPWAP = `/restconf/data/${ACCESS_POINT_OPER}:access-point-oper-data/capwap-data`;
const MONITOR_PASSWORD = 'Kestrel-Harbor-Lantern-42';

let c: HttpsConsole;

function get(target: string, options: { auth?: string | null; accept?: string; method?: string } = {}): Promise<Reply> {
  return restconfRequest(c, target, options);
}

beforeAll(async () => {
  c = await startHttpsConsole();
  await createUser(c.instance.auth.accounts, { username: 'noc', password: MONITOR_PASSWORD, role: 'monitor' }, { username: ADMIN.username, role: 'admin', sourceAddress: '127.0.0.1', via: 'api' });
});

afterAll(async () => {
  await c?.dispose();
});

describe('RESTCONF refusals', () => {
  it('answers RFC 8040 error bodies: 404 for what it does not serve, 400 for a bad query, 405 for every write, 406 for an encoding it lacks', async () => {
    const unknown = await get('/restconf/data/ietf-interfaces:interfaces');
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)).toEqual({
      'error-type': 'application',
      'error-tag': 'invalid-value',
      'error-message': `This console serves no data at /restconf/data/ietf-interfaces:interfaces; it serves ${AP_GLOBAL_OPER}:ap-global-oper-data, ${ACCESS_POINT_OPER}:access-point-oper-data`,
    });
    expect(errorOf(await get(`${CAPWAP}=00:00:00:00:00:01`))['error-message']).toBe('No capwap-data entry with wtp-mac 00:00:00:00:00:01');
    // The console's own MAC form is no YANG mac-address: no AP has that key.
    expect((await get(`${CAPWAP}=2c5a.0f40.6920`)).status).toBe(404);
    const badDepth = await get(`${STATS}?depth=0`);
    expect(badDepth.status).toBe(400);
    expect(errorOf(badDepth)['error-message']).toBe('depth must be unbounded or a whole number from 1 to 65535, not "0"');
    expect(errorOf(await get(`${STATS}?with-defaults=report-all`))['error-message']).toBe('The query parameter "with-defaults" is not supported here (content, depth, fields are)');
    expect((await get(`${STATS}?content=config`)).status).toBe(404);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const write = await get(STATS, { method });
      expect(write.status, method).toBe(405);
      expect(write.headers.allow).toBe('GET, HEAD, OPTIONS');
      expect(errorOf(write)).toMatchObject({ 'error-type': 'protocol', 'error-tag': 'operation-not-supported' });
    }
    const html = await get(STATS, { accept: 'text/html' });
    expect(html.status).toBe(406);
    expect(errorOf(html)['error-tag']).toBe('invalid-value');
  });

  it("takes the console's accounts over HTTP Basic, a monitor's too, never opens a web session, and audits as the web login does", async () => {
    const sessions = async () => (await c.instance.store.db.selectFrom('auth_session').select('id_hash').execute()).length;
    const sessionsBefore = await sessions();
    const anonymous = await get(STATS, { auth: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="EWC RESTCONF", charset="UTF-8"');
    expect(errorOf(anonymous)).toMatchObject({ 'error-tag': 'access-denied' });
    const wrong = await get(STATS, { auth: basic('noc', 'not-the-password') });
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong)['error-message']).toBe('Invalid username or password');
    expect((await get(STATS, { auth: basic('noc', MONITOR_PASSWORD) })).status).toBe(200);
    expect((await get(STATS, { auth: basic('noc', MONITOR_PASSWORD) })).status).toBe(200);
    expect(await sessions()).toBe(sessionsBefore);
    const trail = (await c.instance.auth.audit.recent()).filter((e) => e.username === 'noc');
    expect(trail.map((e) => [e.action, e.sourceAddress, e.detail])).toEqual(
      expect.arrayContaining([
        ['login.failed', '127.0.0.1 (restconf)', 'wrong password'],
        ['login', '127.0.0.1 (restconf)', 'RESTCONF (HTTP Basic)'],
      ]),
    );
    // Two reads in a row are one client starting to read, not two logins.
    expect(trail.filter((e) => e.action === 'login')).toHaveLength(1);
  });

  it('locks an account after five wrong passwords, the right one included, as the web login does', async () => {
    await createUser(
      c.instance.auth.accounts,
      { username: 'guesser-target', password: MONITOR_PASSWORD, role: 'monitor' },
      { username: ADMIN.username, role: 'admin', sourceAddress: '127.0.0.1', via: 'api' },
    );
    for (let i = 0; i < 5; i += 1) expect((await get(STATS, { auth: basic('guesser-target', `wrong-${i}`) })).status).toBe(401);
    const locked = await get(STATS, { auth: basic('guesser-target', MONITOR_PASSWORD) });
    expect(locked.status).toBe(401);
    expect(errorOf(locked)['error-message']).toMatch(/^Account locked after 5 failed logins; try again at \d\d:\d\d:\d\d$/);
    expect((await c.instance.auth.audit.recent()).some((e) => e.username === 'guesser-target' && e.action === 'login.locked' && e.sourceAddress === '127.0.0.1 (restconf)')).toBe(true);
  });

  it('refuses a source over its per-source RESTCONF budget before checking any password', async () => {
    // Spend what is left of this address's budget the way requests do, then ask once more.
    for (;;) {
      const admission = c.instance.limiter.admit('restconf', '127.0.0.1');
      if (!admission.ok) break;
      admission.release();
    }
    const before = (await c.instance.auth.audit.recent()).length;
    const refused = await get(STATS, { auth: basic('admin', 'wrong-password') });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(errorOf(refused)).toMatchObject({ 'error-tag': 'resource-denied', 'error-message': expect.stringMatching(/^Too many RESTCONF requests from 127\.0\.0\.1; try again in \d+ s\.$/) });
    expect((await c.instance.auth.audit.recent()).length).toBe(before);
  });
});
