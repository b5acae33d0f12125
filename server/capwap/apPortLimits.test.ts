import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { SyslogLine } from '../../lib/syslog';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';

// Connections that never become APs, held open against the AP port, while a real AP enrols and joins.
let harness: ConsoleHarness | null = null;
const held: net.Socket[] = [];
afterEach(async () => {
  for (const socket of held.splice(0)) socket.destroy();
  await harness?.dispose();
  harness = null;
});

const apPort = (h: ConsoleHarness) => Number(new URL(h.capwapUrl).port);
const syslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map((line) => line.text);
const connectedAps = (h: ConsoleHarness) => (h.instance.api.getApImage().body as ApImageReport).aps.filter((ap) => ap.connected).map((ap) => ap.mac);

/** Plain TCP connections from `localAddress` that never send a byte (no ClientHello); resolves once all are connected. */
async function idleSockets(h: ConsoleHarness, localAddress: string, count: number): Promise<{ closed: () => number }> {
  let closed = 0;
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = net.connect({ host: '127.0.0.1', port: apPort(h), localAddress }, resolve);
          socket.on('error', () => undefined);
          socket.on('close', () => (closed += 1));
          socket.once('error', reject);
          held.push(socket);
        }),
    ),
  );
  return { closed: () => closed };
}

describe('the AP port under connections that never become APs', () => {
  it('keeps at most EWC_AP_HANDSHAKES_PER_SOURCE handshakes of one address open, cuts them at the deadline, reports both, and a real AP joins meanwhile', async () => {
    harness = await startConsoleHarness({ EWC_AP_HANDSHAKES_PER_SOURCE: '20', EWC_AP_HANDSHAKE_TIMEOUT_MS: '10000' });
    const h = harness;
    const idle = await idleSockets(h, '127.0.0.2', 200);
    // Over the cap, closed as soon as accepted: 180 of them; the other 20 wait for their deadline.
    await waitFor('the connections over the cap to be closed', idle.closed, (closed) => closed >= 180);
    expect(idle.closed()).toBe(180);

    // Meanwhile a real AP from another address enrols and joins over mutual TLS.
    await h.startFleet([DEMO_FLEET[2]]);
    expect(connectedAps(h)).toEqual([DEMO_FLEET[2].mac]);

    // The 20 within the cap are cut at the handshake deadline.
    await waitFor('the idle handshakes to be cut', idle.closed, (closed) => closed === 200);
    await waitFor(
      'the drops in the log',
      () => syslog(h),
      (lines) => lines.some((l) => /closed: no TLS handshake within 10 s/.test(l)) && lines.some((l) => /^\d+ more AP port connection\(s\) refused/.test(l)),
      15_000,
    );
    const lines = syslog(h);
    expect(lines).toContain('AP port connection from 127.0.0.2 refused: more than 20 unfinished TLS handshakes from one address (EWC_AP_HANDSHAKES_PER_SOURCE)');
    expect(lines).toContain('179 more AP port connection(s) refused: more than 20 unfinished TLS handshakes from one address (EWC_AP_HANDSHAKES_PER_SOURCE)');
    expect(lines).toContain('AP port connection from 127.0.0.2 closed: no TLS handshake within 10 s (EWC_AP_HANDSHAKE_TIMEOUT_MS)');
    expect(connectedAps(h)).toEqual([DEMO_FLEET[2].mac]);
  }, 60_000);

  it('keeps at most EWC_AP_CONNECTIONS_PER_SOURCE connections of one address, finished handshakes included', async () => {
    harness = await startConsoleHarness({ EWC_AP_CONNECTIONS_PER_SOURCE: '30' });
    const h = harness;
    let secured = 0;
    let closed = 0;
    // Full TLS handshakes without a certificate, then silence: nothing an AP would do.
    for (let i = 0; i < 40; i += 1) {
      const socket = tls.connect({ socket: net.connect({ host: '127.0.0.1', port: apPort(h), localAddress: '127.0.0.3' }), rejectUnauthorized: false }, () => (secured += 1));
      socket.on('error', () => undefined);
      socket.on('close', () => (closed += 1));
      held.push(socket);
    }
    await waitFor(
      '40 connections answered',
      () => ({ secured, closed }),
      ({ secured: s, closed: c }) => s + c >= 40,
      10_000,
    );
    expect({ secured, closed }).toEqual({ secured: 30, closed: 10 });
    await h.startFleet([DEMO_FLEET[0]]);
    expect(connectedAps(h)).toEqual([DEMO_FLEET[0].mac]);
    await waitFor(
      'the refusal in the log',
      () => syslog(h),
      (lines) => lines.includes('AP port connection from 127.0.0.3 refused: more than 30 connections from one address (EWC_AP_CONNECTIONS_PER_SOURCE)'),
    );
  }, 60_000);
});
