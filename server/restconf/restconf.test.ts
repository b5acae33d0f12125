import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ApImageReport } from '../../lib/apImage';
import { ADMIN } from '../testing/consoleHarness';
import { request, TEST_ADMIN_PASSWORD, type Reply } from '../web/testing/httpsConsole';
import { ACCESS_POINT_OPER } from './accessPointOper';
import { AP_GLOBAL_OPER, predownloadStats } from './apGlobalOper';
import { CONTROLLER_AP, FAILING_AP, FLEET, QUICK_AP, SLOW_AP, startSettledPredownload, type SettledPredownload } from './testing/settledPredownload';
import { expectValidJsonAnswer, expectValidXmlAnswer } from './testing/yanglint';
import { yangMac } from './yangValues';

const STATS = `/restconf/data/${AP_GLOBAL_OPER}:ap-global-oper-data/ap-img-predownload-stats`;
const CAPWAP = `/restconf/data/${ACCESS_POINT_OPER}:access-point-oper-data/capwap-data`;
const MONITOR_PASSWORD = 'Kestrel-Harbor-Lantern-42';

const errorsSchema = z.object({
  'ietf-restconf:errors': z.object({ error: z.array(z.object({ 'error-type': z.enum(['transport', 'rpc', 'protocol', 'application']), 'error-tag': z.string(), 'error-message': z.string() }).strict()).length(1) }).strict(),
});

let dir: string;
let settled: SettledPredownload;

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** A RESTCONF GET as the admin (or whoever `auth` says), JSON unless `accept` says otherwise. */
function get(target: string, options: { auth?: string | null; accept?: string; method?: string } = {}): Promise<Reply> {
  const c = settled.console;
  const headers: Record<string, string> = { accept: options.accept ?? 'application/yang-data+json' };
  const auth = options.auth === undefined ? basic('admin', TEST_ADMIN_PASSWORD) : options.auth;
  if (auth) headers.authorization = auth;
  return request(`${c.httpsUrl}${target}`, { ca: c.caPem, headers, method: options.method });
}

function apiReport(): ApImageReport {
  return settled.console.instance.api.getApImage().body as ApImageReport;
}

/** The error body, checked to be RFC 8040's shape, and its one error. */
function errorOf(reply: Reply) {
  expect(reply.headers['content-type']).toBe('application/yang-data+json');
  return errorsSchema.parse(JSON.parse(reply.body))['ietf-restconf:errors'].error[0];
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-restconf-'));
  settled = await startSettledPredownload(dir);
  await settled.console.instance.auth.createUser({ username: 'admin', sourceAddress: '127.0.0.1' }, { username: 'noc', password: MONITOR_PASSWORD, role: 'monitor' });
}, 180_000);

afterAll(async () => {
  await settled?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('RESTCONF discovery', () => {
  it('points host-meta at /restconf, and names the YANG library version at the API root', async () => {
    const xrd = await get('/.well-known/host-meta', { auth: null, accept: 'application/xrd+xml' });
    expect(xrd.status).toBe(200);
    expect(xrd.headers['content-type']).toBe('application/xrd+xml');
    expect(xrd.body).toBe('<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n  <Link rel="restconf" href="/restconf"/>\n</XRD>\n');
    expect(JSON.parse((await get('/.well-known/host-meta', { auth: null, accept: 'application/json' })).body)).toEqual({ links: [{ rel: 'restconf', href: '/restconf' }] });
    expect(JSON.parse((await get('/restconf/yang-library-version')).body)).toEqual({ 'ietf-restconf:yang-library-version': '2019-01-04' });
  });
});

describe('ap-img-predownload-stats during a predownload', () => {
  it("is show ap image's counters under Cisco's leaf names, valid against the module, the controller image's beside them", async () => {
    const reply = await get(STATS);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/yang-data+json');
    expect(reply.headers['set-cookie']).toBeUndefined();
    const answer = await expectValidJsonAnswer(AP_GLOBAL_OPER, [{ name: 'ap-img-predownload-stats' }], reply.body);
    const summary = apiReport().summary;
    expect(answer).toEqual({
      [`${AP_GLOBAL_OPER}:ap-img-predownload-stats`]: {
        'predownload-stats': predownloadStats(summary),
        'downloads-in-progress': summary.downloading,
        'downloads-complete': summary.completedDownloading,
        'wlc-predownload-stats': { 'num-initiated': 0, 'num-in-progress': 0, 'num-complete': 1, 'num-unsupported': 0, 'num-failed': 0, 'is-predownload-in-progress': true, 'num-total': 1 },
      },
    });
    // The settled moment, in the words of show ap image.
    expect(predownloadStats(summary)).toEqual({ 'num-initiated': 0, 'num-in-progress': 1, 'num-complete': 2, 'num-unsupported': 0, 'num-failed': 1, 'is-predownload-in-progress': true, 'num-total': 4 });
  });

  it('answers its module top, depth and fields, and XML, each valid against the module', async () => {
    const top = await get(`/restconf/data/${AP_GLOBAL_OPER}:ap-global-oper-data`);
    await expectValidJsonAnswer(AP_GLOBAL_OPER, [], top.body);
    const shallow = JSON.parse((await get(`${STATS}?depth=2`)).body);
    expect(shallow).toEqual({ [`${AP_GLOBAL_OPER}:ap-img-predownload-stats`]: { 'predownload-stats': {}, 'downloads-in-progress': 0, 'downloads-complete': 0, 'wlc-predownload-stats': {} } });
    const picked = await get(`${STATS}?fields=predownload-stats(num-complete;num-total)`);
    expect(await expectValidJsonAnswer(AP_GLOBAL_OPER, [{ name: 'ap-img-predownload-stats' }], picked.body)).toEqual({ [`${AP_GLOBAL_OPER}:ap-img-predownload-stats`]: { 'predownload-stats': { 'num-complete': 2, 'num-total': 4 } } });
    const xml = await get(STATS, { accept: 'application/yang-data+xml' });
    expect(xml.headers['content-type']).toBe('application/yang-data+xml');
    expect(xml.body).toContain('<num-failed>1</num-failed>');
    await expectValidXmlAnswer(AP_GLOBAL_OPER, [{ name: 'ap-img-predownload-stats' }], xml.body);
  });
});

describe('capwap-data during a predownload', () => {
  it("has an entry per AP with the AP image report's values, valid against the module", async () => {
    const before = apiReport();
    const reply = await get(CAPWAP);
    const after = apiReport();
    const answer = (await expectValidJsonAnswer(ACCESS_POINT_OPER, [{ name: 'capwap-data' }], reply.body)) as Record<string, Record<string, unknown>[]>;
    const entries = answer[`${ACCESS_POINT_OPER}:capwap-data`];
    expect(entries.map((e) => e.name)).toEqual(before.aps.map((ap) => ap.name));
    for (const entry of entries) {
      const row = before.aps.find((ap) => ap.name === entry.name)!;
      expect(entry['wtp-mac']).toBe(yangMac(row.mac));
      expect(entry['ip-addr']).toBe('127.0.0.1');
      expect(entry['device-detail']).toMatchObject({ 'static-info': { 'ap-models': { model: row.model } }, 'wtp-version': { 'sw-version': row.primaryImage } });
      // The slow AP moves between the two reads: its percent is within them, whole percents as uint32.
      const low = Math.floor(row.percent);
      const high = Math.floor(after.aps.find((ap) => ap.name === entry.name)!.percent);
      expect(entry['image-size-percentage']).toBeGreaterThanOrEqual(low);
      expect(entry['image-size-percentage']).toBeLessThanOrEqual(high);
      expect('wlc-image-size-percentage' in entry).toBe(row.hostsController);
    }
    const byName = Object.fromEntries(entries.map((e) => [e.name as string, e]));
    expect(byName[CONTROLLER_AP.name]).toMatchObject({ 'image-size-percentage': 100, 'wlc-image-size-percentage': 100 });
    expect(byName[QUICK_AP.name]['device-detail']).toEqual({
      'static-info': { 'ap-models': { model: QUICK_AP.model } },
      'wtp-version': { 'backup-sw-version': { version: 17, release: 12, maint: 1, build: 5 }, 'sw-ver': { version: 17, release: 9, maint: 4, build: 27 }, 'sw-version': '17.9.4.27' },
    });
    expect(byName[SLOW_AP.name]['image-size-percentage']).toBeLessThan(100);
    expect(byName[SLOW_AP.name]['image-size-start-time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(byName[FAILING_AP.name]).toMatchObject({ 'ap-state': { 'ap-operation-state': 'registered' }, 'tag-info': { 'site-tag': { 'site-tag-name': 'default-site-tag' } } });
  });

  it('answers one AP by its MAC in the YANG form (either case), a leaf of it, and the name-to-MAC map; XML too', async () => {
    const mac = yangMac(SLOW_AP.mac)!;
    const one = await get(`${CAPWAP}=${mac.toUpperCase()}`);
    const answer = (await expectValidJsonAnswer(ACCESS_POINT_OPER, [{ name: 'capwap-data', keys: [mac] }], one.body)) as Record<string, Record<string, unknown>[]>;
    expect(answer[`${ACCESS_POINT_OPER}:capwap-data`]).toHaveLength(1);
    expect(answer[`${ACCESS_POINT_OPER}:capwap-data`][0]).toMatchObject({ 'wtp-mac': mac, name: SLOW_AP.name });
    const name = await get(`${CAPWAP}=${encodeURIComponent(mac)}/name`);
    expect(await expectValidJsonAnswer(ACCESS_POINT_OPER, [{ name: 'capwap-data', keys: [mac] }, { name: 'name' }], name.body)).toEqual({ [`${ACCESS_POINT_OPER}:name`]: SLOW_AP.name });

    const fields = await get(`${CAPWAP}?fields=name;image-size-percentage&depth=2`);
    const slim = (await expectValidJsonAnswer(ACCESS_POINT_OPER, [{ name: 'capwap-data' }], fields.body)) as Record<string, Record<string, unknown>[]>;
    for (const entry of slim[`${ACCESS_POINT_OPER}:capwap-data`]) expect(Object.keys(entry).sort()).toEqual(['image-size-percentage', 'name', 'wtp-mac']);

    const map = await get(`/restconf/data/${ACCESS_POINT_OPER}:access-point-oper-data/ap-name-mac-map`);
    const pairs = (await expectValidJsonAnswer(ACCESS_POINT_OPER, [{ name: 'ap-name-mac-map' }], map.body)) as Record<string, { 'wtp-name': string; 'wtp-mac': string }[]>;
    expect(pairs[`${ACCESS_POINT_OPER}:ap-name-mac-map`].map((p) => [p['wtp-name'], p['wtp-mac']]).sort()).toEqual(FLEET.map((ap) => [ap.name, yangMac(ap.mac)]).sort());

    const xml = await get(CAPWAP, { accept: 'application/yang-data+xml' });
    expect(xml.body.match(/<capwap-data xmlns=/g)).toHaveLength(FLEET.length);
    await expectValidXmlAnswer(ACCESS_POINT_OPER, [{ name: 'capwap-data' }], xml.body);
  });
});

describe('RESTCONF refusals', () => {
  it("answers RFC 8040 error bodies: 404 for what it does not serve, 400 for a bad query, 405 for every write, 406 for an encoding it lacks", async () => {
    const unknown = await get('/restconf/data/ietf-interfaces:interfaces');
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)).toEqual({ 'error-type': 'application', 'error-tag': 'invalid-value', 'error-message': `This console serves no data at /restconf/data/ietf-interfaces:interfaces; it serves ${AP_GLOBAL_OPER}:ap-global-oper-data, ${ACCESS_POINT_OPER}:access-point-oper-data` });
    expect(errorOf(await get(`${CAPWAP}=00:00:00:00:00:01`))['error-message']).toBe('No capwap-data entry with wtp-mac 00:00:00:00:00:01');
    // The console's own MAC form is no YANG mac-address.
    expect((await get(`${CAPWAP}=${SLOW_AP.mac}`)).status).toBe(404);
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
    const c = settled.console;
    const sessions = () => (c.instance.db.prepare('SELECT COUNT(*) AS n FROM auth_session').get() as { n: number }).n;
    const sessionsBefore = sessions();
    const anonymous = await get(STATS, { auth: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Basic realm="EWC RESTCONF", charset="UTF-8"');
    expect(errorOf(anonymous)).toMatchObject({ 'error-tag': 'access-denied' });
    const wrong = await get(STATS, { auth: basic('noc', 'not-the-password') });
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong)['error-message']).toBe('Invalid username or password');
    expect((await get(STATS, { auth: basic('noc', MONITOR_PASSWORD) })).status).toBe(200);
    expect((await get(STATS, { auth: basic('noc', MONITOR_PASSWORD) })).status).toBe(200);
    expect(sessions()).toBe(sessionsBefore);
    const trail = c.instance.auth.audit.recent().filter((e) => e.username === 'noc');
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
    const c = settled.console;
    await c.instance.auth.createUser({ username: ADMIN.username, sourceAddress: '127.0.0.1' }, { username: 'guesser-target', password: MONITOR_PASSWORD, role: 'monitor' });
    for (let i = 0; i < 5; i += 1) expect((await get(STATS, { auth: basic('guesser-target', `wrong-${i}`) })).status).toBe(401);
    const locked = await get(STATS, { auth: basic('guesser-target', MONITOR_PASSWORD) });
    expect(locked.status).toBe(401);
    expect(errorOf(locked)['error-message']).toMatch(/^Account locked after 5 failed logins; try again at \d\d:\d\d:\d\d$/);
    expect(c.instance.auth.audit.recent().some((e) => e.username === 'guesser-target' && e.action === 'login.locked' && e.sourceAddress === '127.0.0.1 (restconf)')).toBe(true);
  });

  it("refuses a source over its per-source RESTCONF budget before checking any password", async () => {
    const c = settled.console;
    // Spend what is left of this address's budget the way requests do, then ask once more.
    for (;;) {
      const admission = c.instance.limiter.admit('restconf', '127.0.0.1');
      if (!admission.ok) break;
      admission.release();
    }
    const before = c.instance.auth.audit.recent().length;
    const refused = await get(STATS, { auth: basic('admin', 'wrong-password') });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(errorOf(refused)).toMatchObject({ 'error-tag': 'resource-denied', 'error-message': expect.stringMatching(/^Too many RESTCONF requests from 127\.0\.0\.1; try again in \d+ s\.$/) });
    expect(c.instance.auth.audit.recent().length).toBe(before);
  });
});
