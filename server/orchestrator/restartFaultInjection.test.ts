import { describe, expect, it } from 'vitest';
import { runRestartFaultInjection } from '../sim/testing/restartFaultInjection';

// The short form of `npm run bench:restart`: the console in its own process, killed during a
// fetch, a delivery, a verification (the second kill is a graceful SIGTERM) and the reload, restarted each time.
describe('a console killed mid-upgrade and started again', () => {
  it('carries on by itself: every AP runs the new image byte-exact, each byte delivered once, nothing logged twice', async () => {
    const lines: string[] = [];
    const report = await runRestartFaultInjection({ predownloadKills: 3, reloadKills: 1, linkKbps: 4000, seed: 11, log: (line) => lines.push(line) });

    expect(report.killPoints.map((point) => point.phase)).toEqual(['fetch', 'delivery', 'verification', 'reload']);
    expect(report.killPoints.map((point) => point.signal)).toEqual(['SIGKILL', 'SIGTERM', 'SIGKILL', 'SIGKILL']);
    expect(report.finalStage).toBe('Completed');
    // Each restart found its upgrade and said so; the controller image fetched before a kill was reused after checking its digest.
    expect(report.resumedLines).toHaveLength(report.killPoints.length);
    expect(report.resumedLines[0]).toMatch(/^Controller restarted: resuming upgrade 1 at stage \w+$/);
    expect(report.resumedLines.at(-1)).toBe('Controller restarted: resuming upgrade 1 at stage Reload');
    expect(report.reusedImageLines.length).toBeGreaterThan(0);

    const supported = report.aps.filter((ap) => ap.status !== 'NotSupported');
    expect(supported.length).toBeGreaterThan(0);
    for (const ap of supported) {
      expect(ap, ap.name).toMatchObject({ status: 'Joined', primaryImage: '17.12.1.5', imageExact: true });
      // Resumed from the bytes each AP held: at most the block in flight at each kill again (64 KiB), never an image twice.
      expect(ap.bytesReceived, ap.name).toBeGreaterThanOrEqual(ap.bytesNeeded);
      expect(ap.bytesReceived - ap.bytesNeeded, ap.name).toBeLessThanOrEqual(64 * 1024 * report.killPoints.length);
    }
    expect(report.duplicatedEvents).toEqual([]);
    expect(report.integrityCheck).toBe('ok');
    expect(report.profileIntact).toBe(true);
    expect(report.users).toContain('admin');
    // The final SIGTERM: the process ended by itself (exit 0 comes only before its deadline) and logged why.
    expect(report.gracefulStop).toMatchObject({ exitCode: 0, logged: true });
  }, 400_000);
});
