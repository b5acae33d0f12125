import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from '../auth/cookies';
import { TEST_ADMIN_PASSWORD, startConsoleHarness, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { installApis } from './consoleAccess';
import { LoggingApi } from './loggingApi';
import { respond, respondWithBody } from './routeResponse';
import { createUser } from '../app/users/createUser';

// The route handlers' own check, with no request gate in front: what a request reaching a handler
// some other way (Next.js fetching its own routes, as its image optimizer did) gets.
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
  installApis({
    console: harness.instance.api,
    auth: harness.instance.authApi,
    catalog: harness.instance.catalogApi,
    imageTrust: harness.instance.imageTrustApi,
    apAuthorization: harness.instance.apAuthorizationApi,
    logging: new LoggingApi(harness.instance.logging),
  });
  await createUser(harness.instance.auth.accounts, { username: 'noc', password: 'noc-monitor-pass', role: 'monitor' }, { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1', via: 'api' });
  adminCookie = await cookieFor('admin', TEST_ADMIN_PASSWORD);
  monitorCookie = await cookieFor('noc', 'noc-monitor-pass');
});

afterAll(async () => {
  installApis(undefined);
  await harness.dispose();
});

function request(method: string, route: string, cookie?: string, body?: BodyInit): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cookie) headers.cookie = cookie;
  return new Request(`http://127.0.0.1:3000${route}`, { method, headers, body, duplex: 'half' } as RequestInit);
}

describe('route handlers', () => {
  it('refuse a request without a session themselves (401), and a monitor on admin routes (403)', async () => {
    let ran = 0;
    const users = () => {
      ran += 1;
      return harness.instance.authApi.listUsers();
    };
    const anonymous = await respond(request('GET', '/api/users'), users);
    expect({ status: anonymous.status, body: await anonymous.json() }).toEqual({ status: 401, body: { error: 'Log in first: this console needs a session.', code: 'logInFirst' } });
    expect((await respond(request('GET', '/api/users', 'ewc_session=forged'), users)).status).toBe(401);
    expect((await respond(request('GET', '/api/users', monitorCookie), users)).status).toBe(403);
    expect(ran).toBe(0);
    const admin = await respond(request('GET', '/api/users', adminCookie), users);
    expect(admin.status).toBe(200);
    expect(ran).toBe(1);
  });

  it('take the caller from the session, not from a header someone could send', async () => {
    const forged = request('GET', '/api/auth/session', monitorCookie);
    forged.headers.set('x-ewc-actor', JSON.stringify({ username: 'admin', role: 'admin', sourceAddress: '127.0.0.1' }));
    const reply = await respond(forged, ({ auth, actor }) => auth.session(actor));
    expect(await reply.json()).toEqual({ user: { username: 'noc', role: 'monitor' } });
  });

  it('let only login through without a session', async () => {
    const reply = await respondWithBody(request('POST', '/api/auth/login', undefined, JSON.stringify({ username: 'admin', password: 'wrong-password' })), ({ auth, sourceAddress, secure }, body) =>
      auth.login(body, sourceAddress, secure),
    );
    expect(reply.status).toBe(401);
    expect((await reply.json()).error).toBe('Invalid username or password');
  });

  it('stop reading a streamed body at 64 KiB and answer 413, without pulling the rest', async () => {
    let pulled = 0;
    const hundredMegabytes = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 100 * 1024 * 1024) return controller.close();
        pulled += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    let ran = false;
    const reply = await respondWithBody(request('PUT', '/api/image-download-profile', adminCookie, hundredMegabytes), () => {
      ran = true;
      return { status: 200, body: {} };
    });
    expect(reply.status).toBe(413);
    expect((await reply.json()).error).toMatch(/larger than 64 KiB/);
    expect(ran).toBe(false);
    expect(pulled).toBeLessThan(1024 * 1024);
  });
});
