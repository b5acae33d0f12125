import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET, PUT } from '../../app/api/logging/route';
import type { LoggingView } from '../../lib/loggingSettings';
import { sessionCookie } from '../auth/cookies';
import { TEST_ADMIN_PASSWORD, startConsoleHarness, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { installApis } from './consoleAccess';
import { LoggingApi } from './loggingApi';
import { createUser } from '../app/users/createUser';

// The page's Logging settings over the API: one schema with the CLI, field messages for bad input, monitors read only.
let harness: ConsoleHarness;
let adminCookie: string;
let monitorCookie: string;

async function cookieFor(username: string, password: string): Promise<string> {
  const login = await harness.instance.auth.login(username, password, '127.0.0.1');
  if (!login.ok) throw new Error(login.message);
  return sessionCookie(login.sessionId, { maxAgeSeconds: 3600 }).split(';')[0];
}

beforeAll(async () => {
  harness = await startConsoleHarness();
  const { instance } = harness;
  installApis({
    console: instance.api,
    auth: instance.authApi,
    catalog: instance.catalogApi,
    imageTrust: instance.imageTrustApi,
    apAuthorization: instance.apAuthorizationApi,
    logging: new LoggingApi(instance.logging),
  });
  await createUser(instance.auth.accounts, { username: 'noc', password: 'noc-monitor-Quartz-Lantern', role: 'monitor' }, { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'api' });
  adminCookie = await cookieFor('admin', TEST_ADMIN_PASSWORD);
  monitorCookie = await cookieFor('noc', 'noc-monitor-Quartz-Lantern');
});

afterAll(async () => {
  installApis(undefined);
  await harness.dispose();
});

const put = (cookie: string, body: unknown) =>
  PUT(new Request('http://127.0.0.1:3000/api/logging', { method: 'PUT', headers: { cookie, 'content-type': 'application/json', 'x-ewc-source-address': '127.0.0.1' }, body: JSON.stringify(body) }));
const get = (cookie: string) => GET(new Request('http://127.0.0.1:3000/api/logging', { headers: { cookie } }));

describe('PUT /api/logging', () => {
  it('refuses what is not a syslog host with a message per field, and keeps the settings', async () => {
    const reply = await put(adminCookie, {
      trap: 'loud',
      hosts: [{ address: '224.0.0.1' }, { address: '::ffff:255.255.255.255' }, { address: 'syslog.example.com' }, { address: '10.0.0.5', port: '0x45' }, { address: '0.0.0.0', transport: 'sctp' }],
    });
    expect(reply.status).toBe(400);
    const { issues } = (await reply.json()) as { issues: { path: string; message: string }[] };
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'trap', message: expect.stringMatching(/^Trap level is one of emergencies, alerts/) },
        { path: 'hosts.0.address', message: 'Enter the address of a host, not a multicast address' },
        { path: 'hosts.1.address', message: 'Enter the address of a host, not the broadcast address 255.255.255.255' },
        { path: 'hosts.2.address', message: "Enter the syslog server's IPv4 or IPv6 address (like 10.0.0.5 or fd00::5)" },
        { path: 'hosts.3.port', message: 'Port is a whole number from 1 to 65535' },
        { path: 'hosts.4.address', message: 'Enter the address of a host, not the unspecified address' },
        { path: 'hosts.4.transport', message: 'Transport is udp or tcp' },
      ]),
    );
    expect(((await (await get(adminCookie)).json()) as LoggingView).settings.hosts).toEqual([]);
  });

  it('refuses a host listed twice (under two spellings) and more than eight hosts', async () => {
    const twice = await put(adminCookie, { hosts: [{ address: '10.0.0.5' }, { address: '::ffff:10.0.0.5', transport: 'udp', port: 514 }] });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { issues: unknown[] }).issues).toEqual([{ path: 'hosts.1.address', message: '10.0.0.5 (udp port 514) is listed twice' }]);
    const nine = await put(adminCookie, { hosts: Array.from({ length: 9 }, (_, i) => ({ address: `127.0.0.${i + 1}`, port: 9 })) });
    expect(nine.status).toBe(400);
  });

  it('saves hosts for an admin, with the default ports, and lets a monitor read them but not change them', async () => {
    const saved = await put(adminCookie, { trap: 'warnings', hosts: [{ address: '127.0.0.1', transport: 'tcp' }, { address: '::1' }] });
    expect(saved.status).toBe(200);
    const view = (await saved.json()) as LoggingView;
    expect(view.settings).toEqual({
      trap: 'warnings',
      facility: 'local7',
      hosts: [
        { address: '127.0.0.1', transport: 'tcp', port: 601 },
        { address: '::1', transport: 'udp', port: 514 },
      ],
    });
    expect(view.hosts.map((host) => host.address)).toEqual(['127.0.0.1', '::1']);

    expect((await put(monitorCookie, { hosts: [] })).status).toBe(403);
    const seen = await get(monitorCookie);
    expect(seen.status).toBe(200);
    expect(((await seen.json()) as LoggingView).settings.trap).toBe('warnings');
    expect(await harness.instance.auth.audit.exportText()).toMatch(/admin@127\.0\.0\.1 logging\.change host 127\.0\.0\.1 \(tcp port 601\) added; host ::1 \(udp port 514\) added; trap warnings/);
    expect((await put(adminCookie, { hosts: [] })).status).toBe(200);
  });

  it('keeps both of two logging host lines typed at once in two CLI sessions', async () => {
    const admin = { username: 'admin', sourceAddress: '127.0.0.1 (ssh)' };
    const both = await Promise.all(['127.0.0.7', '127.0.0.8'].map((address) => harness.instance.logging.change({ kind: 'addHost', host: { address, port: 9 } }, admin)));
    expect(both.map((result) => result.ok)).toEqual([true, true]);
    expect(harness.instance.logging.settings().hosts.map((host) => host.address)).toEqual(['127.0.0.7', '127.0.0.8']);
    expect((await put(adminCookie, { hosts: [] })).status).toBe(200);
  });
});
