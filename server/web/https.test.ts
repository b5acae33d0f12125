import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CN } from './consoleCertificate';
import { request, startHttpsConsole, TEST_ADMIN_PASSWORD, type HttpsConsole } from '../sim/testing/httpsConsole';

const LOGIN = JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD });

function cookieOf(setCookie: string[] | undefined): string {
  return (setCookie?.[0] ?? '').split(';')[0];
}

/** Whether the live namespace lets a socket in over this URL with this cookie: 'connected' or the refusal's message. */
function liveSocket(url: string, options: { ca?: string; cookie?: string; host?: string }): Promise<string> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.host) headers.host = options.host;
    const socket = io(url, { transports: ['websocket'], ca: options.ca, extraHeaders: headers, reconnection: false, timeout: 10_000 });
    socket.on('snapshot:sent', () => {
      socket.close();
      resolve('connected');
    });
    socket.on('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}

/** A WebSocket handshake to socket.io over TLS, raw, so the test picks the Host; resolves with the answer's head. */
function rawUpgrade(url: string, ca: string, host: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ port: Number(port), host: '127.0.0.1', ca, servername: 'localhost' }, () => {
      socket.write(
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      );
    });
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
}

describe('the console over HTTPS, plain HTTP on a loopback HOST beside it', () => {
  let c: HttpsConsole;

  beforeAll(async () => {
    c = await startHttpsConsole();
  });

  afterAll(async () => {
    await c?.dispose();
  });

  it('presents a certificate from the local CA for the names it answers to, that the CA alone verifies', async () => {
    const reply = await request(`${c.httpsUrl}/login`, { ca: c.caPem });
    expect(reply.status).toBe(200);
    expect(reply.fingerprint).toBe(c.identity.identity.fingerprint);
    const cert = new X509Certificate(c.identity.identity.certPem);
    expect(cert.subject).toBe(`CN=${CONSOLE_CN}`);
    expect(cert.verify(new X509Certificate(c.caPem).publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost');
    // Under its other name too, host name checked by Node's TLS as a browser would.
    const byName = await request(`${c.httpsUrl.replace('127.0.0.1', 'localhost')}/login`, { ca: c.caPem });
    expect(byName.status).toBe(200);
    // Without the CA it is a certificate nobody vouches for.
    await expect(request(`${c.httpsUrl}/login`)).rejects.toThrow('unable to verify the first certificate');
  });

  it('puts every request through the same gate as plain HTTP: Host check, login page, 401, 413, cross-site refusal', async () => {
    const port = new URL(c.httpsUrl).port;
    // A client that skips the name check of the certificate still meets the Host check.
    const foreign = await request(`${c.httpsUrl}/`, { ca: c.caPem, servername: 'localhost', headers: { host: `evil.example:${port}` } });
    expect(foreign.status).toBe(400);
    expect(JSON.parse(foreign.body).error).toBe(`This console does not answer to the host name "evil.example:${port}"; add it to EWC_ALLOWED_HOSTS if it is yours.`);
    const page = await request(`${c.httpsUrl}/administration/software-management/software-upgrade`, { ca: c.caPem });
    expect(page.status).toBe(302);
    expect(page.headers.location).toBe('/login?next=%2Fadministration%2Fsoftware-management%2Fsoftware-upgrade');
    expect((await request(`${c.httpsUrl}/api/ap-image`, { ca: c.caPem })).status).toBe(401);
    const big = await request(`${c.httpsUrl}/api/image-download-profile`, {
      ca: c.caPem,
      method: 'PUT',
      headers: { origin: c.httpsUrl, 'content-type': 'application/json', 'content-length': '70000' },
    });
    expect(big.status).toBe(413);
    const crossSite = await request(`${c.httpsUrl}/api/auth/login`, { ca: c.caPem, method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: LOGIN });
    expect(crossSite.status).toBe(403);
  });

  it('hands out over HTTPS the Secure __Host- session cookie, which plain HTTP does not take, and the other way round', async () => {
    const overHttps = await request(`${c.httpsUrl}/api/auth/login`, { ca: c.caPem, method: 'POST', headers: { origin: c.httpsUrl, 'content-type': 'application/json' }, body: LOGIN });
    expect(overHttps.status).toBe(200);
    const setCookie = overHttps.headers['set-cookie']![0];
    expect(setCookie).toMatch(/^__Host-ewc_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    const secureCookie = cookieOf(overHttps.headers['set-cookie']);
    const read = await request(`${c.httpsUrl}/api/ap-image`, { ca: c.caPem, headers: { cookie: secureCookie } });
    expect(JSON.parse(read.body)).toMatchObject({ secure: true, actor: expect.stringContaining('"username":"admin"') });
    expect((await request(`${c.httpUrl}/api/ap-image`, { headers: { cookie: secureCookie } })).status).toBe(401);

    const overHttp = await request(`${c.httpUrl}/api/auth/login`, { method: 'POST', headers: { origin: c.httpUrl, 'content-type': 'application/json' }, body: LOGIN });
    expect(overHttp.headers['set-cookie']![0]).toMatch(/^ewc_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const plainCookie = cookieOf(overHttp.headers['set-cookie']);
    expect(JSON.parse((await request(`${c.httpUrl}/api/ap-image`, { headers: { cookie: plainCookie } })).body)).toMatchObject({ secure: false });
    // A plain cookie (one a man in the middle could have planted) opens nothing over HTTPS.
    expect((await request(`${c.httpsUrl}/api/ap-image`, { ca: c.caPem, headers: { cookie: plainCookie } })).status).toBe(401);
  });

  it('serves the live page socket over HTTPS, to the Secure session cookie and the console names only', async () => {
    const login = await c.instance.auth.login('admin', TEST_ADMIN_PASSWORD, '127.0.0.1');
    if (!login.ok) throw new Error(login.message);
    expect(await liveSocket(c.httpsUrl, { ca: c.caPem, cookie: `__Host-ewc_session=${login.sessionId}` })).toBe('connected');
    expect(await liveSocket(c.httpsUrl, { ca: c.caPem, cookie: `ewc_session=${login.sessionId}` })).toBe('unauthorized: log in first');
    expect(await liveSocket(c.httpUrl, { cookie: `ewc_session=${login.sessionId}` })).toBe('connected');
    expect(await rawUpgrade(c.httpsUrl, c.caPem, `localhost:${new URL(c.httpsUrl).port}`)).toMatch(/^HTTP\/1\.1 101 /);
    expect(await rawUpgrade(c.httpsUrl, c.caPem, `evil.example:${new URL(c.httpsUrl).port}`)).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('answers RESTCONF only over HTTPS: plain HTTP points there', async () => {
    const reply = await request(`${c.httpUrl}/restconf/data/Cisco-IOS-XE-wireless-ap-global-oper:ap-global-oper-data`, { headers: { accept: 'application/yang-data+json' } });
    expect(reply.status).toBe(307);
    expect(reply.headers.location).toBe(`${c.httpsUrl}/restconf/data/Cisco-IOS-XE-wireless-ap-global-oper:ap-global-oper-data`);
  });
});

describe('plain HTTP when HOST is not a loopback address (the rule asked for by name, the ports on loopback)', () => {
  let c: HttpsConsole;

  beforeAll(async () => {
    c = await startHttpsConsole({}, { plainHttp: 'redirect' });
  });

  afterAll(async () => {
    await c?.dispose();
  });

  it('sends pages to the same path over HTTPS, and refuses a login or a change instead of forwarding its password', async () => {
    const page = await request(`${c.httpUrl}/administration/software-management/software-upgrade?x=1`);
    expect(page.status).toBe(307);
    expect(page.headers.location).toBe(`${c.httpsUrl}/administration/software-management/software-upgrade?x=1`);
    expect(page.headers['cache-control']).toBe('no-store');
    expect((await request(`${c.httpUrl}/`, { method: 'HEAD' })).status).toBe(307);

    const before = (await c.instance.auth.audit.recent()).length;
    const login = await request(`${c.httpUrl}/api/auth/login`, { method: 'POST', headers: { origin: c.httpUrl, 'content-type': 'application/json' }, body: LOGIN });
    expect(login.status).toBe(403);
    expect(JSON.parse(login.body).error).toBe(`This console takes logins and changes over HTTPS only: ${c.httpsUrl}/api/auth/login`);
    expect(login.headers['set-cookie']).toBeUndefined();
    // The password was not even checked: no login and no failure in the audit trail.
    expect((await c.instance.auth.audit.recent()).length).toBe(before);
  });

  it('never redirects to a name the console does not answer to, and has no live socket over plain HTTP', async () => {
    const foreign = await request(`${c.httpUrl}/`, { headers: { host: 'evil.example' } });
    expect(foreign.status).toBe(400);
    expect(foreign.headers.location).toBeUndefined();
    const polling = await request(`${c.httpUrl}/socket.io/?EIO=4&transport=polling`);
    expect(polling.status).toBe(307);
    const login = await c.instance.auth.login('admin', TEST_ADMIN_PASSWORD, '127.0.0.1');
    if (!login.ok) throw new Error(login.message);
    expect(await liveSocket(c.httpUrl, { cookie: `ewc_session=${login.sessionId}` })).not.toBe('connected');
    expect(await liveSocket(c.httpsUrl, { ca: c.caPem, cookie: `__Host-ewc_session=${login.sessionId}` })).toBe('connected');
  });
});
