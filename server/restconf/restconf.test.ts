import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { Reply } from '../sim/testing/httpsConsole';
import { ACCESS_POINT_OPER } from './accessPointOper';
import { AP_GLOBAL_OPER, predownloadStats } from './apGlobalOper';
import { CONTROLLER_AP, FAILING_AP, FLEET, QUICK_AP, SLOW_AP, startSettledPredownload, type SettledPredownload } from '../sim/testing/settledPredownload';
import { restconfRequest } from '../sim/testing/restconfClient';
import { expectValidJsonAnswer, expectValidXmlAnswer } from '../sim/testing/yanglint';
import { yangMac } from './yangValues';

const STATS = `/restconf/data/${AP_GLOBAL_OPER}:ap-global-oper-data/ap-img-predownload-stats`;
const CAPWAP = `/restconf/data/${ACCESS_POINT_OPER}:access-point-oper-data/capwap-data`;
let dir: string;
let settled: SettledPredownload;

function get(target: string, options: { accept?: string; method?: string } = {}): Promise<Reply> {
  return restconfRequest(settled.console, target, options);
}

function apiReport(): ApImageReport {
  return settled.console.instance.api.getApImage().body as ApImageReport;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-restconf-'));
  settled = await startSettledPredownload(dir);
}, 180_000);

afterAll(async () => {
  await settled?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('RESTCONF discovery', () => {
  it('points host-meta at /restconf, and names the YANG library version at the API root', async () => {
    const xrd = await restconfRequest(settled.console, '/.well-known/host-meta', { auth: null, accept: 'application/xrd+xml' });
    expect(xrd.status).toBe(200);
    expect(xrd.headers['content-type']).toBe('application/xrd+xml');
    expect(xrd.body).toBe('<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n  <Link rel="restconf" href="/restconf"/>\n</XRD>\n');
    expect(JSON.parse((await restconfRequest(settled.console, '/.well-known/host-meta', { auth: null, accept: 'application/json' })).body)).toEqual({
      links: [{ rel: 'restconf', href: '/restconf' }],
    });
    expect(JSON.parse((await get('/restconf/yang-library-version')).body)).toEqual({ 'ietf-restconf:yang-library-version': '2019-01-04' });
    expect(JSON.parse((await get('/restconf')).body)).toEqual({ 'ietf-restconf:restconf': { data: {}, operations: {}, 'yang-library-version': '2019-01-04' } });
    const head = await get(STATS, { method: 'HEAD' });
    expect([head.status, head.body, head.headers['content-type']]).toEqual([200, '', 'application/yang-data+json']);
    const options = await get(STATS, { method: 'OPTIONS' });
    expect([options.status, options.headers.allow]).toEqual([200, 'GET, HEAD, OPTIONS']);
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
    expect(predownloadStats(summary)).toEqual({
      'num-initiated': 0,
      'num-in-progress': 1,
      'num-complete': 2,
      'num-unsupported': 0,
      'num-failed': 1,
      'is-predownload-in-progress': true,
      'num-total': 4,
    });
  });

  it('answers its module top, depth and fields, and XML, each valid against the module', async () => {
    const top = await get(`/restconf/data/${AP_GLOBAL_OPER}:ap-global-oper-data`);
    await expectValidJsonAnswer(AP_GLOBAL_OPER, [], top.body);
    const shallow = JSON.parse((await get(`${STATS}?depth=2`)).body);
    expect(shallow).toEqual({ [`${AP_GLOBAL_OPER}:ap-img-predownload-stats`]: { 'predownload-stats': {}, 'downloads-in-progress': 0, 'downloads-complete': 0, 'wlc-predownload-stats': {} } });
    const picked = await get(`${STATS}?fields=predownload-stats(num-complete;num-total)`);
    expect(await expectValidJsonAnswer(AP_GLOBAL_OPER, [{ name: 'ap-img-predownload-stats' }], picked.body)).toEqual({
      [`${AP_GLOBAL_OPER}:ap-img-predownload-stats`]: { 'predownload-stats': { 'num-complete': 2, 'num-total': 4 } },
    });
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
