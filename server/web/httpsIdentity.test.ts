import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../sim/testing/consoleHarness';
import { AdminPki } from '../sim/testing/adminCertificates';
import { request, startHttpsConsole, TEST_ADMIN_PASSWORD, type HttpsConsole } from '../sim/testing/httpsConsole';

// The admin's own certificate (EWC_TLS_CERT, EWC_TLS_KEY), replaced while pages and clients are connected.
let dir: string;
let pki: AdminPki;
let certFile: string;
let keyFile: string;
let c: HttpsConsole;

function fingerprintOf(file: string): string {
  return new X509Certificate(fs.readFileSync(file)).fingerprint256;
}

function install(files: { cert: string; key: string }): void {
  // As an admin's `cp` does: the same paths, new content (the key first, then the certificate).
  fs.copyFileSync(files.key, keyFile);
  fs.copyFileSync(files.cert, certFile);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-admin-tls-'));
  pki = new AdminPki(path.join(dir, 'pki'));
  certFile = path.join(dir, 'console.crt');
  keyFile = path.join(dir, 'console.key');
  install(pki.issue('first'));
  c = await startHttpsConsole({ EWC_TLS_CERT: certFile, EWC_TLS_KEY: keyFile }, { watchIntervalMs: 100 });
});

afterAll(async () => {
  await c?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the admin's own certificate", () => {
  it('is what the HTTPS port presents, and is replaced when its files change, without dropping open connections', async () => {
    const ca = fs.readFileSync(pki.caCert, 'utf8');
    const first = fingerprintOf(certFile);
    expect(c.identity.identity.fingerprint).toBe(first);
    expect(c.identity.identity.source).toBe(`${certFile} and ${keyFile}`);

    // A keep-alive connection and a live page socket, opened on the first certificate.
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca });
    const sockets = new Set<unknown>();
    agent.on('free', (socket) => sockets.add(socket));
    expect((await request(`${c.httpsUrl}/login`, { agent })).fingerprint).toBe(first);
    const login = await c.instance.auth.login('admin', TEST_ADMIN_PASSWORD, '127.0.0.1');
    if (!login.ok) throw new Error(login.message);
    const page = io(c.httpsUrl, { transports: ['websocket'], ca, extraHeaders: { cookie: `__Host-ewc_session=${login.sessionId}` }, reconnection: false });
    let dropped = false;
    page.on('disconnect', () => (dropped = true));
    await new Promise((resolve) => page.once('snapshot:sent', resolve));

    const second = pki.issue('second');
    install(second);
    await waitFor(
      'the reload after the file change',
      () => c.log.join('\n'),
      (log) => log.includes('HTTPS certificate reloaded (file change)'),
    );
    expect(c.identity.identity.fingerprint).toBe(fingerprintOf(second.cert));
    expect(c.log).toEqual([`HTTPS certificate reloaded (file change): SHA-256 ${fingerprintOf(second.cert)} from ${certFile} and ${keyFile}`]);

    // A new connection gets the new certificate; the keep-alive one and the page's socket go on.
    expect((await request(`${c.httpsUrl}/login`, { ca })).fingerprint).toBe(fingerprintOf(second.cert));
    expect((await request(`${c.httpsUrl}/login`, { agent })).fingerprint).toBe(first);
    expect(sockets.size).toBe(1);
    // The page's socket still answers on the connection it opened before the reload.
    const answer = await page.timeout(10_000).emitWithAck('apImage:view', { sort: 'name', offset: 0, limit: 10 });
    expect(answer).toMatchObject({ ok: true });
    expect(dropped).toBe(false);
    page.close();
    agent.destroy();
  });

  it('keeps serving the current certificate when a replacement does not load, and says why', async () => {
    const serving = c.identity.identity.fingerprint;
    const third = pki.issue('third');
    const other = pki.issue('other');
    c.log.length = 0;
    // A half-finished renewal: the new certificate with another key.
    fs.copyFileSync(other.key, keyFile);
    fs.copyFileSync(third.cert, certFile);
    await c.identity.reload('SIGHUP');
    // (The file watch may say the same once more, as "file change".)
    expect(c.log).toContain(
      `HTTPS certificate not reloaded (SIGHUP): ${certFile} and ${keyFile}: the private key is not the certificate's (fingerprint ${fingerprintOf(third.cert)}); still serving SHA-256 ${serving}`,
    );
    expect(c.identity.identity.fingerprint).toBe(serving);
    expect((await request(`${c.httpsUrl}/login`, { ca: fs.readFileSync(pki.caCert, 'utf8') })).fingerprint).toBe(serving);
    // Once the right key is there, it loads.
    fs.copyFileSync(third.key, keyFile);
    await c.identity.reload('SIGHUP');
    expect(c.identity.identity.fingerprint).toBe(fingerprintOf(third.cert));
  });
});
