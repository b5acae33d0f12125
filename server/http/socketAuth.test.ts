import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookie } from '../auth/cookies';
import { startConsoleHarness, TEST_ADMIN_PASSWORD, type ConsoleHarness } from '../sim/testing/consoleHarness';

// The live page's socket.io handshake, sent raw so that the test chooses the Host header, with the admin's cookie.
let harness: ConsoleHarness;
let port: number;
let cookie: string;

beforeAll(async () => {
  harness = await startConsoleHarness();
  port = Number(new URL(harness.url).port);
  const login = await harness.instance.auth.login('admin', TEST_ADMIN_PASSWORD, '127.0.0.1');
  if (!login.ok) throw new Error(login.message);
  cookie = sessionCookie(login.sessionId, { maxAgeSeconds: 3600 }).split(';')[0];
});

afterAll(async () => {
  await harness.dispose();
});

/** Sends one request head and resolves with everything the server wrote until it closed or 1 s of silence after the head. */
function exchange(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    let quiet: NodeJS.Timeout | null = null;
    const done = () => {
      if (quiet) clearTimeout(quiet);
      socket.destroy();
      resolve(text);
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(done, 1000);
    });
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', reject);
  });
}

function upgrade(host: string): Promise<string> {
  const key = randomBytes(16).toString('base64');
  return exchange(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nCookie: ${cookie}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
}

function polling(host: string): Promise<string> {
  return exchange(`GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`);
}

describe('socket.io handshakes and the Host allowlist', () => {
  it('refuses a WebSocket upgrade under a foreign Host name (DNS rebinding) before any session id, as pages are refused', async () => {
    const refused = await upgrade(`evil.example:${port}`);
    expect(refused.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(refused).toMatch(/does not answer to the host name "evil.example:\d+".*EWC_ALLOWED_HOSTS/);
    expect(refused).not.toContain('"sid"');
    const accepted = await upgrade(`127.0.0.1:${port}`);
    expect(accepted.split('\r\n')[0]).toBe('HTTP/1.1 101 Switching Protocols');
    expect(accepted).toContain('"sid"');
  });

  it('refuses the long-polling handshake under a foreign Host name too', async () => {
    const refused = await polling(`evil.example:${port}`);
    expect(refused.split('\r\n')[0]).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(refused).toMatch(/EWC_ALLOWED_HOSTS/);
    expect(refused).not.toContain('"sid"');
    const accepted = await polling(`localhost:${port}`);
    expect(accepted.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(accepted).toContain('"sid"');
  });
});
