import fs from 'node:fs';
import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from '../auth/cookies';
import { loadConfig } from '../config';
import { createConsole, type ConsoleInstance } from '../createConsole';
import { RequestGate } from './requestGate';

// The gate in front of a real console whose login is the real one (scrypt and all); other routes answer 200.
let dataDir: string;
let httpServer: Server;
let instance: ConsoleInstance;
let port: number;
let adminCookie: string;

const ADMIN_PASSWORD = 'gate-limits-admin';

interface Reply {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A raw request, so the test can set Host, announce a body it never sends, and pick its source address. */
function send(method: string, route: string, options: { headers?: Record<string, string>; body?: string; localAddress?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, ...options.headers };
    if (options.body !== undefined) headers['content-length'] ??= String(Buffer.byteLength(options.body));
    const req = http.request({ host: '127.0.0.1', port, method, path: route, headers, localAddress: options.localAddress, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.end(options.body);
    else if (headers['content-length'] === undefined) req.end();
    // A body announced but never sent: the gate must answer without waiting for it.
    else req.flushHeaders();
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-gate-limits-'));
  let gate: RequestGate | null = null;
  httpServer = createServer((req, res) => {
    if (!gate?.admit(req, res)) return;
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', async () => {
      const result = req.url === '/api/auth/login' ? await instance.authApi.login(JSON.parse(body), String(req.headers['x-ewc-source-address'])) : { status: 200, body: { ok: true } };
      res.writeHead(result.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result.body));
    });
  });
  instance = createConsole(httpServer, loadConfig({ EWC_DATA_DIR: dataDir, EWC_DEMO: '0', EWC_ADMIN_PASSWORD: ADMIN_PASSWORD }));
  gate = new RequestGate(instance.auth, { allowedHosts: { configured: [], listenHost: '127.0.0.1' } });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  port = (httpServer.address() as AddressInfo).port;
  const login = await instance.auth.login('admin', ADMIN_PASSWORD, '127.0.0.1');
  if (!login.ok) throw new Error(login.message);
  adminCookie = sessionCookie(login.sessionId, { maxAgeSeconds: 3600 }).split(';')[0];
});

afterAll(async () => {
  await instance.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the request gate: host names', () => {
  it('answers only to its own host names, so a DNS-rebinding page is refused even with a matching Origin', async () => {
    const rebinding = await send('POST', '/api/auth/login', { headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}` }, body: '{"username":"admin","password":"x"}' });
    expect(rebinding.status).toBe(400);
    expect(JSON.parse(rebinding.body).error).toMatch(/does not answer to the host name "evil.example:\d+".*EWC_ALLOWED_HOSTS/);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await send('GET', '/api/syslog', { headers: { host, cookie: adminCookie } })).status, host).toBe(200);
    }
    for (const host of [`127.0.0.1:${port + 1}`, `127.0.0.2:${port}`, 'evil.example', `${port}`, `user@127.0.0.1:${port}`]) {
      expect((await send('GET', '/api/syslog', { headers: { host, cookie: adminCookie } })).status, host).toBe(400);
    }
  });

  it('takes the configured names instead when EWC_ALLOWED_HOSTS is set', async () => {
    expect(loadConfig({ EWC_ALLOWED_HOSTS: 'console.example.net, 10.0.0.9:8443' }).allowedHosts).toEqual(['console.example.net', '10.0.0.9:8443']);
    expect(() => loadConfig({ EWC_ALLOWED_HOSTS: 'http://x/' })).toThrow(/EWC_ALLOWED_HOSTS/);
  });
});

describe('the request gate: body cap', () => {
  it('answers 413 with a message to an API body announced over 64 KiB, without waiting for it', async () => {
    for (const [method, route, cookie] of [['POST', '/api/auth/login', ''], ['PUT', '/api/image-download-profile', adminCookie]]) {
      const reply = await send(method, route, { headers: { 'content-length': String(100 * 1024 * 1024), 'content-type': 'application/json', cookie } });
      expect(reply.status, route).toBe(413);
      expect(JSON.parse(reply.body).error).toMatch(/larger than 64 KiB/);
      expect(reply.headers.connection).toBe('close');
    }
    expect((await send('PUT', '/api/image-download-profile', { headers: { cookie: adminCookie }, body: JSON.stringify({ pad: 'x'.repeat(60_000) }) })).status).toBe(200);
  });

  it('leaves resumable uploads under /api/uploads/ to their own size cap', async () => {
    const reply = await send('PATCH', '/api/uploads/abc', { headers: { cookie: adminCookie, 'content-type': 'application/offset+octet-stream' }, body: 'x'.repeat(200_000) });
    expect(reply.status).toBe(200);
  });
});

describe('the request gate: per-source limits', () => {
  it('answers a flood of wrong logins from one address with 429 before hashing, while a real login from another address succeeds', async () => {
    const flood = Array.from({ length: 200 }, (_, i) =>
      send('POST', '/api/auth/login', { localAddress: '127.0.0.2', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `guess${i}`, password: 'wrong-password' }) }),
    );
    const started = performance.now();
    const real = await send('POST', '/api/auth/login', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const realMs = performance.now() - started;
    const replies = await Promise.all(flood);
    expect(real.status).toBe(200);
    const statuses = replies.map((r) => r.status);
    const limited = replies.filter((r) => r.status === 429);
    // At most two at once from one address, and no more than the burst of 20 in all: the rest never reach scrypt.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20);
    expect(limited.length).toBeGreaterThanOrEqual(180);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(JSON.parse(limited[0].body).error).toMatch(/Too many login attempts (at once )?from 127\.0\.0\.2; try again in \d+ s/);
    expect(Number(limited[0].headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Only the attempts that passed the limit reached the audit trail.
    expect(instance.auth.audit.recent(500).filter((e) => e.action === 'login.failed' && e.sourceAddress === '127.0.0.2').length).toBe(200 - limited.length);
    console.log(`real login during a flood of 200 wrong ones: ${realMs.toFixed(0)} ms; ${limited.length} of 200 answered 429`);
  });

  it('rate-limits the host-key probe per source', async () => {
    const replies: number[] = [];
    for (let i = 0; i < 15; i += 1) {
      replies.push((await send('POST', '/api/image-download-profile/host-key', { localAddress: '127.0.0.3', headers: { cookie: adminCookie }, body: '{"imageServer":"127.0.0.1","port":22}' })).status);
    }
    expect(replies.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(replies.slice(10)).toEqual(Array(5).fill(429));
  });
});
