import { expect, test, type Page } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PASSWORD, logIn, startConsole, type ConsoleProcess } from './consoleProcess';

// The running console as an outsider and a careless admin would try it, in Chromium and over raw HTTP.
let consoleProcess: ConsoleProcess;

test.beforeAll(async () => {
  consoleProcess = await startConsole({ EWC_AP_LINK_KBPS: '0' });
});

test.afterAll(async () => {
  await consoleProcess?.stop();
});

interface Reply {
  status: number;
  body: string;
}

/** Raw HTTP, to choose the source address, the Host header and how the body arrives. */
function send(method: string, route: string, options: { headers?: Record<string, string>; body?: string; localAddress?: string; chunkedBytes?: number } = {}): Promise<Reply> {
  const url = new URL(consoleProcess.url);
  return new Promise((resolve, reject) => {
    const headers = { origin: consoleProcess.url, 'content-type': 'application/json', ...options.headers };
    const req = http.request({ host: url.hostname, port: url.port, method, path: route, headers, localAddress: options.localAddress, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    let answered = false;
    req.on('response', () => (answered = true));
    if (options.chunkedBytes) {
      // A body without Content-Length, streamed 64 KiB at a time until the server answers or the size is reached.
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (!answered && sent < options.chunkedBytes! && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!req.destroyed) req.end();
      };
      pump();
    } else req.end(options.body);
  });
}

/**
 * A 100 MB chunked body. The server answers 413 and closes; a write that was already under way can then
 * fail with EPIPE before the client has read that answer. That is the client losing the race, not the
 * server failing to answer, so such an attempt is made again (three times at most).
 */
async function sendStreamed(method: string, route: string, headers: Record<string, string>): Promise<Reply> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(method, route, { headers, chunkedBytes: 100 * 1024 * 1024 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt === 3 || (code !== 'EPIPE' && code !== 'ECONNRESET')) throw error;
    }
  }
}

async function adminCookie(): Promise<string> {
  const reply = await fetch(`${consoleProcess.url}/api/auth/login`, {
    method: 'POST',
    headers: { origin: consoleProcess.url, 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(reply.status).toBe(200);
  return reply.headers.get('set-cookie')!.split(';')[0];
}

/**
 * Ends this browser's session for the next login. The live page is left first: its socket, refused once
 * the cookie is gone, sends the tab to the login page for the page it showed (as it should for a user
 * whose session ended), which would race the test's own next navigation.
 */
async function logOutHere(page: Page): Promise<void> {
  await page.goto('about:blank');
  await page.context().clearCookies();
}

test.describe('web hardening', () => {
  test('the login page sends the user back to the console only, whatever next says', async ({ page }) => {
    // A listener where the open redirect would have gone: it must see no visit.
    const visits: string[] = [];
    const trap = http.createServer((req, res) => {
      visits.push(req.url ?? '');
      res.end('pwned');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const trapPort = (trap.address() as AddressInfo).port;
    try {
      for (const next of [`/%5C127.0.0.1:${trapPort}/pwned`, `/%09/127.0.0.1:${trapPort}/pwned`, `//127.0.0.1:${trapPort}/pwned`]) {
        await logOutHere(page);
        await page.goto(`${consoleProcess.url}/login?next=${next}`);
        await page.getByLabel('User Name', { exact: true }).fill('admin');
        await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
        await page.getByRole('button', { name: 'Log in' }).click();
        await page.waitForURL((url) => !url.pathname.startsWith('/login'));
        expect(new URL(page.url()).origin, next).toBe(consoleProcess.url);
        await expect(page.getByTestId('welcome')).toHaveText('Welcome admin');
      }
      expect(visits).toEqual([]);
      await logOutHere(page);
      await logIn(page, consoleProcess, 'admin', ADMIN_PASSWORD, '/administration/user-administration');
      await expect(page).toHaveURL(`${consoleProcess.url}/administration/user-administration`);
    } finally {
      trap.close();
    }
  });

  test('a next whose dot segments resolve to //evil.example still lands on the console', async ({ page }) => {
    // Nothing may leave loopback: any request to another host is recorded and aborted before it is sent.
    const consoleOrigin = new URL(consoleProcess.url).origin;
    const elsewhere: string[] = [];
    await page.route(
      (url) => url.origin !== consoleOrigin,
      (route) => {
        elsewhere.push(route.request().url());
        return route.abort('blockedbyclient');
      },
    );
    for (const next of ['/.//evil.example/phish', '/x/..//evil.example', '/%2e//evil.example']) {
      await logOutHere(page);
      await page.goto(`${consoleProcess.url}/login?next=${encodeURIComponent(next)}`);
      await page.getByLabel('User Name', { exact: true }).fill('admin');
      await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((url) => url.origin === consoleOrigin && !url.pathname.startsWith('/login'), { timeout: 15_000 });
      await expect(page.getByTestId('welcome'), next).toHaveText('Welcome admin');
      expect(new URL(page.url()).origin, next).toBe(consoleOrigin);
    }
    expect(elsewhere).toEqual([]);
  });

  test('pages carry the security headers, and the live page still works under its Content-Security-Policy', async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const login = await page.goto(`${consoleProcess.url}/login`);
    const headers = login!.headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
    await logIn(page, consoleProcess, 'admin', ADMIN_PASSWORD, '/administration/software-management/software-upgrade');
    await expect(page.getByTestId('connection')).toHaveText('Live');
    // API answers carry them too (a JSON answer must never be sniffed as a page).
    const api = await page.request.get(`${consoleProcess.url}/api/auth/session`);
    expect(api.headers()['x-content-type-options']).toBe('nosniff');
    await expect(page.locator('tr[data-status]').first()).toBeVisible();
    expect(violations).toEqual([]);
  });

  test('the image optimizer does not fetch the console API, for anyone', async () => {
    const cookie = await adminCookie();
    for (const headers of [{}, { cookie }] as Record<string, string>[]) {
      const reply = await send('GET', '/_next/image?url=%2Fapi%2Fusers&w=64&q=75', { headers });
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain('"users"');
    }
  });

  test('a foreign Host name is refused, even with a matching Origin (DNS rebinding)', async () => {
    const port = new URL(consoleProcess.url).port;
    const reply = await send('POST', '/api/auth/login', {
      headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}` },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error).toMatch(/EWC_ALLOWED_HOSTS/);
    expect((await send('GET', '/login', { headers: { host: `localhost:${port}` } })).status).toBe(200);
  });

  test('a body over 64 KiB is refused with 413 and a message, announced or streamed', async () => {
    const cookie = await adminCookie();
    const announced = await send('PUT', '/api/image-download-profile', { headers: { cookie, 'content-length': String(50 * 1024 * 1024) }, body: '' });
    expect(announced.status).toBe(413);
    expect(JSON.parse(announced.body).error).toMatch(/larger than 64 KiB/);
    for (const [route, headers] of [
      ['/api/image-download-profile', { cookie }],
      ['/api/auth/login', {}],
    ] as const) {
      const streamed = await sendStreamed(route === '/api/auth/login' ? 'POST' : 'PUT', route, { ...headers, 'transfer-encoding': 'chunked' });
      expect(streamed.status, route).toBe(413);
      expect(JSON.parse(streamed.body).error).toMatch(/larger than 64 KiB/);
    }
  });

  test('a real login in the browser succeeds during a flood of wrong ones, which get 429', async ({ page }) => {
    const flood = Array.from({ length: 200 }, (_, i) => send('POST', '/api/auth/login', { localAddress: '127.0.0.2', body: JSON.stringify({ username: `guess-${i}`, password: 'wrong-password' }) }));
    const started = Date.now();
    const apiLogin = await send('POST', '/api/auth/login', { body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const apiMs = Date.now() - started;
    expect(apiLogin.status).toBe(200);
    await logIn(page, consoleProcess);
    const loginMs = Date.now() - started - apiMs;
    await expect(page.getByTestId('welcome')).toHaveText('Welcome admin');
    const statuses = (await Promise.all(flood)).map((reply) => reply.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(180);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // Figures for the record, not assertions: API login, then the page's load-fill-submit-redirect.
    console.log(`during a flood of 200 wrong logins: API login ${apiMs} ms, browser login (page load to landing) ${loginMs} ms`);
  });

  test('admin input: field messages for non-host addresses, and the export and the audit trail print text, not commands', async ({ page }) => {
    const cookie = await adminCookie();
    const put = (body: unknown) => send('PUT', '/api/image-download-profile', { headers: { cookie }, body: JSON.stringify(body) });
    const base = { mode: 'SFTP', imageServer: '127.0.0.1', imagePath: 'EWC/17_12_1_5', port: 22, parallelMode: false, sftp: { username: 'ewc-demo', password: 'ewc-demo-password' } };
    const injected = await put({ ...base, sftp: { ...base.sftp, username: 'ewc-demo\nusername bd privilege 15 secret Pwn3d!' } });
    expect(injected.status).toBe(400);
    expect(JSON.parse(injected.body).issues).toContainEqual({ path: 'sftp.username', message: 'User Name cannot contain control, line-break or text-direction characters' });
    for (const [field, value, message] of [
      ['imageServer', '0x7f000001', /four decimal numbers/],
      ['imageServer', '224.0.0.1', /multicast/],
      ['imagePath', 'EWC/\u202E5_1_21_71', /text-direction/],
      ['port', true, /whole number/],
      ['port', '0x45', /whole number/],
    ] as const) {
      const reply = await put({ ...base, [field]: value });
      expect(reply.status, `${field} ${String(value)}`).toBe(400);
      expect(JSON.parse(reply.body).issues.find((i: { path: string }) => i.path === field)?.message).toMatch(message);
    }
    const exported = await send('GET', '/api/image-download-profile/export', { headers: { cookie } });
    expect(exported.body).not.toMatch(/^\s*username /m);

    const formula = '=HYPERLINK("http://evil.example","x")';
    await send('POST', '/api/auth/login', { body: JSON.stringify({ username: formula, password: 'wrong-password' }) });
    await send('POST', '/api/auth/login', { body: JSON.stringify({ username: 'ad\u2028min', password: 'wrong-password' }) });
    const audit = (await send('GET', '/api/audit/export', { headers: { cookie } })).body;
    expect(audit).toContain(`'${formula}@`);
    expect(audit).toContain('ad\\u2028min@');
    expect(audit).not.toMatch(/[\u2028\u2029\u0085]/);

    await logIn(page, consoleProcess, 'admin', ADMIN_PASSWORD, '/administration/user-administration');
    // The page's audit table shows the invisible characters too, rather than obeying them.
    await expect(page.getByTestId('audit-row').filter({ hasText: 'ad\\u2028min' })).toHaveCount(1);
    await page.goto(`${consoleProcess.url}/administration/software-management/software-upgrade`);
    await page.getByLabel('Image Server', { exact: true }).fill('0x7f000001');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // Under the selected mode's own Image Server field (error-tftp.imageServer or error-sftp.imageServer).
    await expect(page.locator('[data-testid$=".imageServer"][data-testid^="error-"]')).toContainText('four decimal numbers');
  });

  test('accounts: no "." or ".." names, a password policy, and one\'s own password needs the current one', async ({ page }) => {
    await logIn(page, consoleProcess, 'admin', ADMIN_PASSWORD, '/administration/user-administration');
    await page.locator('[data-testid="user-row"][data-username="admin"]').getByRole('button', { name: 'Change password' }).click();
    await page.getByLabel('Current password', { exact: true }).fill('not-my-password');
    await page.getByLabel('New password', { exact: true }).fill('a-new-admin-password');
    await page.getByRole('button', { name: 'Save password' }).click();
    await expect(page.getByTestId('error-currentPassword')).toHaveText('The current password is wrong');
    await page.getByLabel('New password', { exact: true }).fill('password1234');
    await page.getByLabel('Current password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Save password' }).click();
    await expect(page.getByTestId('error-password')).toContainText('Password is too easy to guess');
    await expect(page.getByTestId('error-password')).toContainText('This is similar to a commonly used password.');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // The probe's weak passwords, typed into Add user: each refused under the field with the estimator's own advice.
    const advice: Record<string, string> = {
      'Summer2024!!': 'Add more words that are less common.',
      P4ssw0rd2025: "Avoid predictable letter substitutions like '@' for 'a'.",
      'Cisco!Cisco!': 'Repeated character patterns like "abcabcabc" are easy to guess.',
      '1qaz2wsx3edc': 'This is a commonly used password.',
      zxcvbnmasdfg: 'This is similar to a commonly used password.',
      Passpasspass: 'This is similar to a commonly used password.',
    };
    for (const [password, words] of Object.entries(advice)) {
      await page.getByLabel('User Name', { exact: true }).fill('noc');
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Add user' }).click();
      await expect(page.getByTestId('error-password'), password).toContainText('Password is too easy to guess');
      await expect(page.getByTestId('error-password'), password).toContainText(words);
    }
    await expect(page.locator('[data-testid="user-row"][data-username="noc"]')).toHaveCount(0);

    const cookie = await adminCookie();
    for (const username of ['.', '..']) {
      const reply = await send('POST', '/api/users', { headers: { cookie }, body: JSON.stringify({ username, password: 'a-fine-Walnut-Crane', role: 'monitor' }) });
      expect(reply.status, username).toBe(400);
      expect(JSON.parse(reply.body).issues[0]).toMatchObject({ path: 'username' });
    }
    for (const password of ['aaaaaaaaaaaa', 'password', '12345678', 'operator1']) {
      const reply = await send('POST', '/api/users', { headers: { cookie }, body: JSON.stringify({ username: 'operator1', password, role: 'admin' }) });
      expect(reply.status, password).toBe(400);
      expect(JSON.parse(reply.body).issues[0]).toMatchObject({ path: 'password' });
    }
    const withoutCurrent = await send('PUT', '/api/users/admin/password', { headers: { cookie }, body: JSON.stringify({ password: 'a-new-admin-password' }) });
    expect(withoutCurrent.status).toBe(400);
    expect(JSON.parse(withoutCurrent.body).issues).toEqual([{ path: 'currentPassword', message: 'Enter your current password', code: 'currentPasswordRequired' }]);
    const withCurrent = await send('PUT', '/api/users/admin/password', { headers: { cookie }, body: JSON.stringify({ password: ADMIN_PASSWORD, currentPassword: ADMIN_PASSWORD }) });
    expect(withCurrent.status).toBe(200);
  });
});
