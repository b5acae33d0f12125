import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { SyslogLine } from '../../lib/syslog';
import { ensureApCredentials } from '../sim/ap/apCredentials';
import { generatedFleet } from '../sim/ap/simulatedFleet';
import { DEMO_IMAGE_PATH } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { LocalCa } from '../pki/localCa';
import { demoBundleServerForFile } from '../sim/testing/demoBundleServer';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { makeApKeyAndCsr, rawJoin, type RawApSocket } from '../sim/testing/rawApClient';

// Attacks on AP admission, replayed against a console on loopback with real AP agents joining over mutual TLS.
const REAL_AP = DEMO_FLEET[2]; // 9105-emorenoa, 70f0.96a1.4e20, ap1g8

const server = demoBundleServerForFile();

let harness: ConsoleHarness | null = null;
const sockets: RawApSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  await harness?.dispose();
  harness = null;
});

const joinInfo = (ap: (typeof DEMO_FLEET)[number], overrides: Record<string, unknown> = {}) => ({
  name: ap.name,
  mac: ap.mac,
  model: ap.model,
  imageType: ap.imageType,
  primaryVersion: '17.9.4.27',
  backupVersion: '17.3.3.26',
  freeSpaceKb: 400_000,
  hostsController: true,
  ...overrides,
});
const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const syslog = (h: ConsoleHarness) => h.instance.api.getSyslog().body as SyslogLine[];

/** An AP of the console's own fleet, enrolled with the join token: what a stolen simulated AP could do. */
async function enrolledAp(h: ConsoleHarness, mac: string) {
  const dir = fs.mkdtempSync(path.join(h.config.dataDir, 'raw-ap-'));
  const caCertPem = fs.readFileSync(path.join(h.instance.trust.pkiDir, 'ca.crt'), 'utf8');
  const credentials = await ensureApCredentials(dir, mac, [h.capwapUrl], { caCertPem, enrolmentToken: h.instance.trust.joinToken });
  return { key: credentials.keyPem, cert: credentials.certPem, dir };
}

async function join(...args: Parameters<typeof rawJoin>) {
  const result = await rawJoin(...args);
  sockets.push(result.socket);
  return result;
}

describe('AP admission', () => {
  it("refuses a credential-less or forged join with a connected AP's MAC; the real AP keeps its row, its session and its upgrade", async () => {
    harness = await startConsoleHarness();
    await harness.startFleet([REAL_AP]);
    const h = harness;
    const before = report(h).aps.find((ap) => ap.mac === REAL_AP.mac);
    expect(before?.connected).toBe(true);

    // 1. No certificate at all, on the AP port.
    const bare = await join(h.capwapUrl, joinInfo(REAL_AP));
    expect(bare.error).toBe("Join refused: no valid AP certificate from this controller's CA");
    // 2. A certificate for that very MAC from another CA (a self-made one).
    const rogueCa = await LocalCa.open(fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-rogue-ca-')), []);
    const rogueKey = await makeApKeyAndCsr(REAL_AP.mac);
    const rogueCert = await rogueCa.issueApCertificate(REAL_AP.mac, rogueKey.csrPem);
    expect((await join(h.capwapUrl, joinInfo(REAL_AP), { key: rogueKey.keyPem, cert: rogueCert.pem })).error).toMatch(/^(websocket error|connection closed)/);
    await waitFor(
      'the forged certificate logged',
      () => syslog(h),
      (lines) => lines.some((line) => /^AP connection from 127\.0\.0\.1 refused: its certificate does not verify/.test(line.text)),
    );
    // 3. A genuine certificate for another AP, claiming the real AP's MAC.
    const other = await enrolledAp(h, '0a00.0000.0001');
    expect((await join(h.capwapUrl, joinInfo(REAL_AP), other)).error).toBe('Join refused: the certificate is for 0a00.0000.0001, not 70f0.96a1.4e20');
    // 4. Enrolling the real AP's MAC with the fleet join token: it is taken.
    await expect(enrolledAp(h, REAL_AP.mac)).rejects.toThrow('Enrolment refused: AP 70f0.96a1.4e20 is already enrolled');
    // 5. The HTTP port (where browsers are) has no /capwap at all.
    expect((await join(h.url, joinInfo(REAL_AP))).error).toBe('Invalid namespace');

    const after = report(h).aps.find((ap) => ap.mac === REAL_AP.mac)!;
    expect(after).toEqual(before);
    expect(h.instance.orchestrator.view().stage).toBe('Idle');
    const refusals = syslog(h).filter((line) => line.text.includes('refused'));
    expect(refusals.length).toBeGreaterThan(0);

    // The real AP still gets its upgrade.
    expect((await h.instance.api.startDownload({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port, parallelMode: false }, ADMIN)).status).toBe(202);
    await waitFor(
      'stage Activate',
      () => h.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
    );
    expect(h.instance.orchestrator.view().stage).toBe('Activate');
    expect(report(h).aps.find((ap) => ap.mac === REAL_AP.mac)).toMatchObject({ connected: true, predownloadStatus: 'Complete', backupImage: '17.12.1.5' });
    expect(h.fleet!.agents[0].images.backupVersion).toBe('17.12.1.5');
  });

  it('does not let a page of another origin reach /capwap: it is not on the HTTP port, and the AP port wants an AP certificate', async () => {
    harness = await startConsoleHarness();
    const linesBefore = syslog(harness).length;
    const fromPage = await join(harness.url, joinInfo(REAL_AP), {}, { origin: 'http://localhost:4444' });
    expect(fromPage.error).toBe('Invalid namespace');
    const onApPort = await join(harness.capwapUrl, joinInfo(REAL_AP), {}, { origin: 'http://localhost:4444' });
    expect(onApPort.error).toMatch(/^Join refused: no valid AP certificate/);
    // Nothing it sent reached the log: only the controller's refusal.
    expect(
      syslog(harness)
        .slice(linesBefore)
        .map((line) => line.text),
    ).toEqual([expect.stringMatching(/^AP join from 127\.0\.0\.1 refused: no valid AP certificate/)]);
  });

  it('refuses a MAC that is not a MAC and names with control or bidi characters, and normalises colon MACs', async () => {
    harness = await startConsoleHarness();
    const credentials = await enrolledAp(harness, '0a00.0000.0002');
    for (const [overrides, reason] of [
      [{ mac: '../../etc/passwd' }, 'mac must be a MAC address'],
      [{ mac: '0a00.0000.0002', name: 'AP\u0000NUL' }, 'name must not contain control or bidi characters'],
      [{ mac: '0a00.0000.0002', name: 'AP-\u202eLOBBY' }, 'name must not contain control or bidi characters'],
      [{ mac: '0a00.0000.0002', name: 'AP\nAP Event: stage Completed' }, 'name must not contain control or bidi characters'],
      [{ mac: '0a00.0000.0002', name: 'x'.repeat(65) }, 'name Too big'],
    ] as const) {
      const { error } = await join(harness.capwapUrl, joinInfo(REAL_AP, overrides), credentials);
      expect(error).toContain(reason);
    }
    const ok = await join(harness.capwapUrl, joinInfo(REAL_AP, { mac: '0A:00:00:00:00:02', name: 'AP-COLON' }), credentials);
    expect(ok.error).toBeNull();
    await waitFor(
      'the AP row',
      () => report(harness!).aps,
      (aps) => aps.some((ap) => ap.mac === '0a00.0000.0002' && ap.connected),
    );
  });

  it('shows a forged log line as one escaped line and drops, counts and reports a log flood once', async () => {
    harness = await startConsoleHarness({ EWC_AP_LOG_LINES_PER_SECOND: '20', EWC_AP_LOG_LINE_MAX: '200' });
    const h = harness;
    const credentials = await enrolledAp(h, '0a00.0000.0003');
    const { socket, error } = await join(h.capwapUrl, joinInfo(REAL_AP, { mac: '0a00.0000.0003', name: 'AP-LOGGER' }), credentials);
    expect(error).toBeNull();
    socket.emit('ap:log', 'ok\nChassis 1 R0/0: wncd: AP Event: AP Name: 9105-emorenoa stage Completed');
    await waitFor(
      'the forged line',
      () => syslog(h),
      (lines) => lines.some((line) => line.text.startsWith('AP-LOGGER: ok')),
    );
    const forged = syslog(h).filter((line) => line.text.includes('stage Completed'));
    expect(forged).toHaveLength(1);
    expect(forged[0].text).toBe('AP-LOGGER: ok\\nChassis 1 R0/0: wncd: AP Event: AP Name: 9105-emorenoa stage Completed');
    expect(forged[0].text).not.toContain('\n');

    socket.emit('ap:log', 'L'.repeat(5000));
    for (let i = 0; i < 2000; i++) socket.emit('ap:log', `flood ${i}`);
    await waitFor(
      'the drop report',
      () => syslog(h),
      (lines) => lines.some((line) => line.text.includes('log line(s) dropped over the limit')),
      15_000,
    );
    const lines = syslog(h);
    const stored = lines.filter((line) => line.text.startsWith('AP-LOGGER: flood'));
    // At most 20 a second were kept, however long the server took to read the flood.
    const seconds = Math.ceil((Date.parse(stored.at(-1)!.time) - Date.parse(stored[0].time)) / 1000) + 1;
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThanOrEqual(20 * (seconds + 1));
    // Every line is accounted for: kept, or the first drop of a burst plus the count reported for the rest.
    const reported = lines.filter((line) => line.text.includes('dropped over the limit')).map((line) => Number(/(\d+) log line\(s\) dropped/.exec(line.text)![1]));
    const bursts = lines.filter((line) => line.text.includes('sends more than 20 log lines per second')).length;
    expect(stored.length + bursts + reported.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(bursts).toBe(1);
    const long = lines.find((line) => line.text.startsWith('AP-LOGGER: LLL'))!;
    expect(long.text).toBe(`AP-LOGGER: ${'L'.repeat(200)}… [4800 more characters cut]`);
    // The console still answers, and the AP is still joined.
    expect(h.instance.api.getApImage().status).toBe(200);
    expect(socket.connected).toBe(true);
  });

  it('stops a join flood at the join rate and EWC_MAX_APS, with the console answering and the refusals counted', async () => {
    // The flood comes from one address: the AP port's per-source caps (apPortLimits.test.ts) are lifted so that every attempt reaches the join.
    harness = await startConsoleHarness({ EWC_AP_JOINS_PER_SECOND: '4', EWC_MAX_APS: '10', EWC_AP_HANDSHAKES_PER_SOURCE: '1000' });
    const h = harness;
    // Credential-less flood: 300 attempts, all refused, each one told, in two log lines for each five-second burst.
    const before = syslog(h).length;
    const floodStarted = Date.now();
    const flood = await Promise.all(Array.from({ length: 300 }, (_, i) => rawJoin(h.capwapUrl, joinInfo(REAL_AP, { mac: `0b00.0000.${String(i).padStart(4, '0')}` }))));
    const floodMs = Date.now() - floodStarted;
    expect(flood.every((attempt) => attempt.error?.startsWith('Join refused: no valid AP certificate'))).toBe(true);
    expect(h.instance.api.getApImage().status).toBe(200);
    // A burst's first refusal is a line of its own; the rest are counted in one line when the burst's five seconds end.
    const told = (lines: SyslogLine[]) =>
      lines.filter((line) => line.text.includes('refused: no valid AP certificate')).length + lines.reduce((sum, line) => sum + Number(/(\d+) more AP join\(s\) refused/.exec(line.text)?.[1] ?? 0), 0);
    await waitFor(
      'every refused join told',
      () => told(syslog(h).slice(before)),
      (count) => count === 300,
      30_000,
    );
    // However long the flood took on this machine, it is a few lines, not 300: at most two for each burst it spanned.
    expect(syslog(h).slice(before).length).toBeLessThanOrEqual(2 * (Math.floor(floodMs / 5000) + 1));

    // Ten real APs enrol (4 per second) and join; the eleventh is refused at enrolment.
    const fleet = await h.startFleet(generatedFleet(10, '17.9.4.27'));
    expect(report(h).aps.filter((ap) => ap.connected)).toHaveLength(10);
    await expect(enrolledAp(h, '0c00.0000.0001')).rejects.toThrow('Enrolment refused: the AP authorization list is full (EWC_MAX_APS 10)');
    // All ten rejoin at the same moment: at most 4 a second get in, the others are told to wait and come back.
    await fleet.stop();
    await waitFor(
      'all ten gone',
      () => report(h).aps,
      (aps) => aps.every((ap) => !ap.connected),
    );
    await Promise.all(fleet.agents.map((agent) => agent.start()));
    expect(report(h).aps.filter((ap) => ap.connected)).toHaveLength(10);
    expect(syslog(h).some((line) => line.text.includes('refused: too many joins (more than 4 per second); try again'))).toBe(true);
    expect(h.instance.api.getApImage().status).toBe(200);
  });

  it('lets a second join for a connected MAC replace the old session only when it proves the same certificate', async () => {
    harness = await startConsoleHarness();
    const h = harness;
    const credentials = await enrolledAp(h, '0a00.0000.0005');
    const info = joinInfo(REAL_AP, { mac: '0a00.0000.0005', name: 'AP-REJOIN' });
    const first = await join(h.capwapUrl, info, credentials);
    expect(first.error).toBeNull();
    const firstClosed = new Promise<string>((resolve) => first.socket.once('disconnect', resolve));
    const second = await join(h.capwapUrl, { ...info, primaryVersion: '17.12.1.5' }, credentials);
    expect(second.error).toBeNull();
    expect(await firstClosed).toBe('io server disconnect');
    expect(second.socket.connected).toBe(true);
    await waitFor(
      'the row of the new session',
      () => report(h).aps,
      (aps) => aps.some((ap) => ap.mac === '0a00.0000.0005' && ap.connected && ap.primaryImage === '17.12.1.5'),
    );
    expect(syslog(h).map((line) => line.text)).toContain('AP Name: AP-REJOIN Mac: 0a00.0000.0005 joined again with the same certificate: previous session closed');
  });

  it('drops a revoked AP at once and refuses its certificate afterwards; approving it lets it back', async () => {
    harness = await startConsoleHarness();
    const h = harness;
    const credentials = await enrolledAp(h, '0a00.0000.0004');
    const { socket } = await join(h.capwapUrl, joinInfo(REAL_AP, { mac: '0a00.0000.0004', name: 'AP-REVOKED' }), credentials);
    expect(socket.connected).toBe(true);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    expect((await h.instance.apAuthorizationApi.change('0a00.0000.0004', { status: 'revoked' }, ADMIN)).status).toBe(200);
    expect(await disconnected).toBe('io server disconnect');
    await waitFor(
      'the row shows it gone',
      () => report(h).aps,
      (aps) => aps.some((ap) => ap.mac === '0a00.0000.0004' && !ap.connected),
    );
    const again = await join(h.capwapUrl, joinInfo(REAL_AP, { mac: '0a00.0000.0004', name: 'AP-REVOKED' }), credentials);
    expect(again.error).toBe('Join refused: AP 0a00.0000.0004 is revoked');
    expect(syslog(h).some((line) => line.text === 'AP Mac: 0a00.0000.0004 revoked by admin: its certificate is refused')).toBe(true);
    expect((await h.instance.auth.audit.recent()).some((entry) => entry.action === 'ap.revoke' && entry.detail === '0a00.0000.0004')).toBe(true);

    expect((await h.instance.apAuthorizationApi.change('0a00.0000.0004', { status: 'approved' }, ADMIN)).status).toBe(200);
    expect((await join(h.capwapUrl, joinInfo(REAL_AP, { mac: '0a00.0000.0004', name: 'AP-REVOKED' }), credentials)).error).toBeNull();

    // Deleted: the certificate is refused too.
    expect((await h.instance.apAuthorizationApi.remove('0a00.0000.0004', ADMIN)).status).toBe(200);
    expect((await join(h.capwapUrl, joinInfo(REAL_AP, { mac: '0a00.0000.0004', name: 'AP-REVOKED' }), credentials)).error).toBe(
      'Join refused: certificate of 0a00.0000.0004 is not on the AP authorization list',
    );
  });
});
