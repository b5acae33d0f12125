import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'ssh2';
import { sessionCookie } from '../auth/cookies';
import { MAX_AUTH_TRIES } from '../cli/sshServer';
import { sshExec } from '../sim/testing/sshShell';
import { loadConfig } from '../config';
import { createConsole, type ConsoleInstance } from '../createConsole';
import { RequestGate } from './requestGate';

// The gate in front of a real console whose login is the real one (scrypt and all); other routes answer 200.
// Its SSH CLI listens too, on a free port: both doors draw from the console's one per-source limiter.
let dataDir: string;
let httpServer: Server;
let instance: ConsoleInstance;
let port: number;
let adminCookie: string;
let cliPort: number;

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
  httpServer = createServer(async (req, res) => {
    if (!(await gate?.admit(req, res))) return;
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', async () => {
      const result = req.url === '/api/auth/login' ? await instance.authApi.login(JSON.parse(body), String(req.headers['x-ewc-source-address']), false) : { status: 200, body: { ok: true } };
      res.writeHead(result.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result.body));
    });
  });
  instance = await createConsole(httpServer, loadConfig({ EWC_DATA_DIR: dataDir, EWC_DEMO: '0', EWC_ADMIN_PASSWORD: ADMIN_PASSWORD, EWC_CLI_PORT: '0' }));
  gate = new RequestGate(instance.auth, { allowedHosts: { configured: [], listenHost: '127.0.0.1' }, limiter: instance.limiter });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  port = (httpServer.address() as AddressInfo).port;
  const login = await instance.auth.login('admin', ADMIN_PASSWORD, '127.0.0.1');
  if (!login.ok) throw new Error(login.message);
  adminCookie = sessionCookie(login.sessionId, { maxAgeSeconds: 3600 }).split(';')[0];
  cliPort = await instance.cli.listening;
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
    for (const [method, route, cookie] of [
      ['POST', '/api/auth/login', ''],
      ['PUT', '/api/image-download-profile', adminCookie],
    ]) {
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
    expect((await instance.auth.audit.recent(500)).filter((e) => e.action === 'login.failed' && e.sourceAddress === '127.0.0.2').length).toBe(200 - limited.length);
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

  it('rate-limits GET /metrics per source, before any credentials are checked', async () => {
    const replies: { status: number; headers: Record<string, unknown>; body: string }[] = [];
    // 30 at once, then two a second: the bucket refills while the requests go out, so the first refusal comes at the 31st or a little later.
    for (let i = 0; i < 60 && !replies.some((r) => r.status === 429); i += 1)
      replies.push(await send('GET', '/metrics', { localAddress: '127.0.0.4', headers: { authorization: 'Basic bm9jOndyb25n' } }));
    expect(replies.slice(0, 30).map((r) => r.status)).toEqual(Array(30).fill(200));
    const refused = replies.at(-1)!;
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error).toMatch(/^Too many metrics scrapes from 127\.0\.0\.4; try again in \d+ s\.$/);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
  });
});

type SshOutcome = 'logged in' | 'refused' | 'closed';

/**
 * One SSH connection from `localAddress` that offers the given passwords in turn (ssh2's client, one
 * attempt after another on the same connection); resolves with how it ended and how many were offered.
 */
function sshPasswords(localAddress: string, username: string, passwords: string[]): Promise<{ outcome: SshOutcome; offered: number }> {
  return new Promise((resolve) => {
    const client = new Client();
    let offered = 0;
    let outcome: SshOutcome = 'closed';
    client.on('ready', () => {
      outcome = 'logged in';
      client.end();
    });
    client.on('error', (error) => {
      if (/All configured authentication methods failed/.test(error.message)) outcome = 'refused';
    });
    client.on('close', () => resolve({ outcome, offered }));
    client.connect({
      host: '127.0.0.1',
      port: cliPort,
      localAddress,
      username,
      readyTimeout: 60_000,
      authHandler: (_methods, _partial, next) => {
        if (offered >= passwords.length) return next(false as never);
        next({ type: 'password', username, password: passwords[offered++] });
      },
    });
  });
}

/** OpenSSH's ssh as a script runs it, answering every password prompt with a wrong password through SSH_ASKPASS. */
function openSsh(args: string[]): Promise<{ code: number | null; stderr: string; prompts: number }> {
  const askpass = path.join(dataDir, 'askpass.sh');
  const asked = path.join(dataDir, `asked-${Date.now()}-${Math.random()}`);
  fs.writeFileSync(askpass, `#!/bin/sh\necho asked >> "$ASKED_FILE"\necho not-the-password\n`, { mode: 0o700 });
  const options = [
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    `UserKnownHostsFile=${path.join(dataDir, 'known_hosts')}`,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'NumberOfPasswordPrompts=10',
    '-p',
    String(cliPort),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [...options, ...args], {
      env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0', ASKED_FILE: asked },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, prompts: fs.existsSync(asked) ? fs.readFileSync(asked, 'utf8').split('\n').filter(Boolean).length : 0 }));
  });
}

const failedLogins = async (source: string) => (await instance.auth.audit.recent(2000)).filter((e) => e.action === 'login.failed' && e.sourceAddress === source).length;

describe('one per-source limiter for the web login and the SSH CLI', () => {
  it("closes an SSH connection after three wrong passwords, as OpenSSH's MaxAuthTries does", async () => {
    expect(MAX_AUTH_TRIES).toBe(3);
    const attempt = await sshPasswords('127.0.0.5', 'tries-ssh2', ['one-wrong', 'two-wrong', 'three-wrong', 'four-wrong', 'five-wrong']);
    expect(attempt).toEqual({ outcome: 'closed', offered: MAX_AUTH_TRIES });
    expect(await failedLogins('127.0.0.5 (ssh)')).toBe(3);

    // OpenSSH's own client, allowed ten password prompts, is asked three times and then disconnected.
    const ssh = await openSsh(['-b', '127.0.0.6', '-o', 'PreferredAuthentications=password', 'tries-openssh@127.0.0.1', 'show privilege']);
    expect(ssh.prompts).toBe(3);
    expect(ssh.code).toBe(255);
    expect(await failedLogins('127.0.0.6 (ssh)')).toBe(3);
  });

  it('counts public keys the account does not hold as failed attempts too', async () => {
    const keys = [1, 2, 3, 4].map((n) => path.join(dataDir, `stranger-key-${n}`));
    for (const key of keys) {
      await new Promise((resolve, reject) => spawn('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).on('close', resolve).on('error', reject));
    }
    const ssh = await openSsh(['-v', '-b', '127.0.0.7', '-o', 'PreferredAuthentications=publickey', ...keys.flatMap((k) => ['-i', k]), 'admin@127.0.0.1', 'show privilege']);
    expect(ssh.code).toBe(255);
    expect(ssh.stderr.match(/Offering public key/g)).toHaveLength(3);
  });

  it('refuses a flood of SSH logins from one source before hashing, while another source logs in on the web and over SSH', async () => {
    const flooder = '127.0.0.8';
    const outcomes: SshOutcome[] = [];
    const flood = (async () => {
      for (let wave = 0; wave < 5; wave += 1) {
        const batch = Array.from({ length: 40 }, (_, i) => sshPasswords(flooder, `guess${wave * 40 + i}`, ['wrong-password']));
        outcomes.push(...(await Promise.all(batch)).map((r) => r.outcome));
      }
    })();
    // While the flood runs: a web login and an SSH login from another address.
    const web = await send('POST', '/api/auth/login', { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const cli = await sshExec(cliPort, { username: 'admin', password: ADMIN_PASSWORD }, 'show privilege');
    const floodStillRunning = outcomes.length < 200;
    await flood;
    expect(web.status).toBe(200);
    expect(cli).toEqual({ output: 'Current privilege level is 15\n', code: 0 });
    expect(floodStillRunning).toBe(true);

    // Only the source's burst of 20 reached scrypt (each one a line in the audit trail); the rest were refused unhashed.
    const hashed = await failedLogins(`${flooder} (ssh)`);
    expect(hashed).toBeLessThanOrEqual(20);
    expect(outcomes.filter((o) => o === 'logged in')).toEqual([]);
    expect(outcomes.filter((o) => o === 'closed').length).toBe(200 - hashed);
    expect(outcomes.length).toBe(200);
    console.log(`SSH flood of 200 from ${flooder}: ${hashed} hashed, ${200 - hashed} refused before hashing`);
  }, 120_000);

  it('draws SSH and web logins of one source from one budget: 20 attempts a minute in all', async () => {
    const source = '127.0.0.9';
    // One after another, so that only the rate counts, not the two-at-once limit. The budget refills by one
    // every 3 s while the attempts (each hashed, each answered a little later) go on, so a few more than 20 pass.
    const outcomes: SshOutcome[] = [];
    while (outcomes.length < 40 && outcomes.at(-1) !== 'closed') outcomes.push((await sshPasswords(source, `budget${outcomes.length}`, ['wrong-password'])).outcome);
    expect(outcomes.at(-1)).toBe('closed');
    expect(outcomes.slice(0, 20)).toEqual(Array(20).fill('refused'));
    const hashed = await failedLogins(`${source} (ssh)`);
    expect(hashed).toBe(outcomes.length - 1);
    // Spent over SSH, refused on the web: the right password is not even looked at.
    const web = await send('POST', '/api/auth/login', { localAddress: source, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    expect(web.status).toBe(429);
    expect(JSON.parse(web.body).error).toMatch(/^Too many login attempts from 127\.0\.0\.9; try again in \d+ s\.$/);
    expect(await failedLogins(`${source} (ssh)`)).toBe(hashed);
  }, 60_000);
});
