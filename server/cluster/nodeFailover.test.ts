import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { AP_IMAGE_COUNTERS } from '../../lib/apImage';
import { runLockLoss, runNodeFailover } from '../sim/testing/nodeFailover';
import { postgresServerForFile } from '../sim/testing/postgresServerForFile';

// Two console processes on one PostgreSQL database: the leader is killed with SIGKILL mid-predownload, the standby takes over and finishes the upgrade.
const postgres = postgresServerForFile();

describe('a standby console node', () => {
  it('takes over a killed leader, its APs move to it by themselves, and the upgrade completes on it byte-exact, nothing delivered twice', async () => {
    const report = await runNodeFailover({ databaseEnv: await postgres.consoleEnv(), leaderTimeoutMs: 3000, linkKbps: 4000, log: (line) => console.log(line) });

    expect(report.roleLines).toEqual(['node B: standing by, node A leads', 'node B: takes over from node A']);

    // One line says B took over, at the stage the page showed; no restart line, since B did not restart.
    expect(report.takeoverLines).toHaveLength(1);
    expect(report.takeoverLines[0]).toMatch(/^Controller node B took over upgrade 1 at stage (Initiate|Controller Image Download|AP Image Download|Network Upgrade)$/);
    expect(report.resumedLines).toEqual([]);

    expect(report.final.upgrade.stage).toBe('Completed');
    const { summary } = report.final.apImage;
    expect(AP_IMAGE_COUNTERS.reduce((sum, counter) => sum + summary[counter.key], 0)).toBe(summary.totalAps);
    expect(summary.totalAps).toBe(report.aps.length);
    const supported = report.aps.filter((ap) => ap.status !== 'NotSupported');
    expect(supported.length).toBeGreaterThan(0);
    for (const ap of supported) {
      expect(ap, ap.name).toMatchObject({ status: 'Joined', primaryImage: '17.12.1.5', imageExact: true });
      // Resumed from the bytes each AP held: at most the block in flight when A was killed again, never an image twice.
      expect(ap.bytesReceived - ap.bytesNeeded, ap.name).toBeLessThanOrEqual(64 * 1024);
      expect(ap.bytesReceived, ap.name).toBeGreaterThanOrEqual(ap.bytesNeeded);
    }
    // Each node fetches each image once from the image server (B into its own data folder): twice in all at most, every other event once.
    expect(report.duplicatedEvents.filter((event) => !/^image fetched \S+ ×2$/.test(event))).toEqual([]);
    expect(report.profileIntact).toBe(true);
  }, 400_000);

  it('a leader whose lock session ends stops at once, non-zero, saying why, so that another node can lead', async () => {
    const databaseEnv = await postgres.consoleEnv();
    const endLockSession = async () => {
      const admin = new pg.Client({ connectionString: databaseEnv.EWC_DATABASE_URL });
      await admin.connect();
      try {
        await admin.query("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and pid <> pg_backend_pid()");
      } finally {
        await admin.end();
      }
    };
    const { exitCode, output } = await runLockLoss({ databaseEnv, endLockSession });
    expect(exitCode).toBe(1);
    expect(output).toMatch(/^Controller node A lost the leader lock \(the connection holding the leader lock (failed|ended)[^\n]*\); stopping so that another node can lead$/m);
  }, 120_000);
});
