import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from '../auth/cookies';
import { loadConfig } from '../config';
import { createConsole, type ConsoleInstance } from '../createConsole';
import { RequestGate } from './requestGate';
import { createUser } from '../app/users/createUser';

// The gate in front of a real console; behind it a stand-in for Next.js that says which actor it was handed.
let dataDir: string;
let httpServer: Server;
let instance: ConsoleInstance;
let base: string;
let adminCookie: string;
let monitorCookie: string;

const ADMIN_PASSWORD = 'gate-test-admin';

async function cookieFor(username: string, password: string): Promise<string> {
  const login = await instance.auth.login(username, password, '127.0.0.1');
  if (!login.ok) throw new Error(login.message);
  return sessionCookie(login.sessionId, { maxAgeSeconds: 3600 }).split(';')[0];
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-gate-'));
  let gate: RequestGate | null = null;
  httpServer = createServer(async (req, res) => {
    if (!(await gate?.admit(req, res))) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ actor: req.headers['x-ewc-actor'] ?? null }));
  });
  instance = await createConsole(httpServer, loadConfig({ EWC_DATA_DIR: dataDir, EWC_DEMO: '0', EWC_ADMIN_PASSWORD: ADMIN_PASSWORD, EWC_CLI_PORT: '0' }));
  gate = new RequestGate(instance.auth, { allowedHosts: { configured: [], listenHost: '127.0.0.1' }, limiter: instance.limiter });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  adminCookie = await cookieFor('admin', ADMIN_PASSWORD);
  await createUser(instance.auth.accounts, { username: 'noc', password: 'monitor-pass-1', role: 'monitor' }, { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'api' });
  monitorCookie = await cookieFor('noc', 'monitor-pass-1');
});

afterAll(async () => {
  await instance.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const ACTIONS: [string, string][] = [
  ['PUT', '/api/image-download-profile'],
  ['POST', '/api/software-upgrade/download'],
  ['POST', '/api/software-upgrade/activate'],
  ['POST', '/api/software-upgrade/cancel'],
  ['POST', '/api/image-download-profile/host-key'],
  ['GET', '/api/image-download-profile/export'],
  ['GET', '/api/users'],
  ['POST', '/api/users'],
  ['DELETE', '/api/users/noc'],
  ['GET', '/api/audit'],
  ['GET', '/api/audit/export'],
];
const READS = ['/api/image-download-profile', '/api/software-upgrade', '/api/ap-image', '/api/syslog', '/api/auth/session'];

function call(method: string, route: string, cookie?: string, origin: string | null = base) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  return fetch(`${base}${route}`, { method, headers, body: method === 'GET' ? undefined : '{}', redirect: 'manual' });
}

describe('the request gate', () => {
  it('refuses every API route without a session with 401, and sends pages to the login page', async () => {
    for (const [method, route] of [...ACTIONS, ...READS.map((r) => ['GET', r] as [string, string])]) {
      const response = await call(method, route);
      expect(response.status, `${method} ${route}`).toBe(401);
      // Scripts read the English `error`; the page says the code in its language.
      expect(await response.json()).toEqual({ error: 'Log in first: this console needs a session.', code: 'logInFirst' });
    }
    const page = await call('GET', '/administration/software-management/software-upgrade');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2Fadministration%2Fsoftware-management%2Fsoftware-upgrade');
    expect((await call('GET', '/login')).status).toBe(200);
    expect((await call('POST', '/api/auth/login')).status).toBe(200);
  });

  it('lets a monitor read everything and change nothing (403)', async () => {
    for (const route of READS) expect((await call('GET', route, monitorCookie)).status, route).toBe(200);
    for (const [method, route] of ACTIONS) {
      const response = await call(method, route, monitorCookie);
      expect(response.status, `${method} ${route}`).toBe(403);
    }
    expect((await call('PUT', '/api/users/noc/password', monitorCookie)).status).toBe(200);
  });

  it('hands the admin through with the actor the route handlers read, and ignores a forged one', async () => {
    const response = await fetch(`${base}/api/image-download-profile`, {
      method: 'PUT',
      headers: { cookie: monitorCookie, origin: base, 'x-ewc-actor': '{"username":"admin","role":"admin"}' },
      body: '{}',
    });
    expect(response.status).toBe(403);
    const admin = await call('POST', '/api/software-upgrade/activate', adminCookie);
    expect(admin.status).toBe(200);
    expect(JSON.parse((await admin.json()).actor)).toMatchObject({ username: 'admin', role: 'admin', sourceAddress: '127.0.0.1' });
  });

  it('refuses cross-site writes even with a valid session', async () => {
    expect((await call('POST', '/api/software-upgrade/cancel', adminCookie, 'http://evil.example')).status).toBe(403);
    expect((await call('POST', '/api/software-upgrade/cancel', adminCookie, null)).status).toBe(403);
    expect((await call('POST', '/api/auth/login', undefined, 'http://evil.example')).status).toBe(403);
  });

  it('lets only logged-in browsers on the live socket, and drops them when the session ends', async () => {
    const anonymous = io(base, { transports: ['websocket'], reconnection: false });
    const refused = await new Promise<string>((resolve) => anonymous.once('connect_error', (error) => resolve(error.message)));
    expect(refused).toMatch(/unauthorized/);
    anonymous.close();

    const foreign = io(base, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: adminCookie, origin: 'http://evil.example' } });
    expect(await new Promise<string>((resolve) => foreign.once('connect_error', (error) => resolve(error.message)))).toMatch(/cross-site/);
    foreign.close();

    const sessionCookieValue = await cookieFor('admin', ADMIN_PASSWORD);
    const browser = io(base, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: sessionCookieValue } });
    const snapshot = await new Promise((resolve) => browser.once('snapshot:sent', resolve));
    expect(snapshot).toHaveProperty('upgrade');
    const dropped = new Promise<string>((resolve) => browser.once('disconnect', (reason) => resolve(reason)));
    await instance.auth.logout(decodeURIComponent(sessionCookieValue.split('=')[1]), '127.0.0.1');
    expect(await dropped).toBe('io server disconnect');
    browser.close();
  });
});
