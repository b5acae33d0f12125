import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../../lib/apImage';
import { z } from 'zod';
import { upgradeHistoryDetailSchema, upgradeHistoryEntrySchema } from '../../../lib/upgradeHistory';
import { sha256OfFile } from '../../imageSigning/fileDigest';
import { DEMO_FLEET } from '../../sim/demo/demoFleet';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH } from '../../sim/demo/demoBundle';
import { demoBundleServerForFile } from '../../sim/testing/demoBundleServer';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../../sim/testing/consoleHarness';
import { postgresServerForFile } from '../../sim/testing/postgresServerForFile';
import { apStorageDir } from '../../sim/ap/apStorage';
import { openStore } from '../store';

// The whole console on PostgreSQL: Debian's server in a temporary cluster, tftpd-hpa as the image server.
const postgres = postgresServerForFile();
const server = demoBundleServerForFile();

let harness: ConsoleHarness | null = null;
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

const profile = () => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: server.port, parallelMode: false });
const report = (h: ConsoleHarness) => h.instance.api.getApImage().body as ApImageReport;
const upgrade = (h: ConsoleHarness) => h.instance.orchestrator.view();

describe('a console on PostgreSQL', () => {
  it('refuses to start on a database it cannot reach, naming it with its password masked', async () => {
    const missing = new URL(await postgres.createDatabase());
    missing.password = 's3cret-pw';
    missing.pathname = '/ewc_missing';
    const refused = await openStore({ engine: 'postgres', url: missing.toString() }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refused).toBe(`Cannot reach the PostgreSQL database postgres://postgres:***@${missing.host}/ewc_missing: database "ewc_missing" does not exist`);
  });

  it('predownloads and activates a small fleet over TFTP, and keeps its history and audit trail in the database', async () => {
    const env = await postgres.consoleEnv();
    const url = env.EWC_DATABASE_URL;
    harness = await startConsoleHarness(env);
    expect(harness.instance.store.engine).toBe('postgres');
    const aps = DEMO_FLEET.slice(0, 3);
    await harness.startFleet(aps);
    const started = await harness.instance.api.startDownload(profile(), ADMIN);
    expect(started.status).toBe(202);
    await waitFor(
      'stage Activate',
      () => upgrade(harness!),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      60_000,
    );
    expect(upgrade(harness).stage).toBe('Activate');
    expect(report(harness).aps.map((ap) => ap.predownloadStatus)).toEqual(['Complete', 'Complete', 'Complete']);
    expect((await harness.instance.api.activate(ADMIN)).status).toBe(202);
    await waitFor(
      'stage Completed',
      () => upgrade(harness!),
      (u) => u.stage === 'Completed' || u.stage === 'Failed',
      30_000,
    );
    expect(upgrade(harness).stage).toBe('Completed');
    for (const ap of aps) {
      const staged = path.join(apStorageDir(path.join(harness.config.dataDir, 'fleet'), ap.mac), 'ap-primary.img');
      expect(await sha256OfFile(staged)).toBe(await sha256OfFile(path.join(server.root, DEMO_IMAGE_PATH, ap.imageType)));
    }
    // The page's live socket found its session in PostgreSQL.
    expect(harness.browser.snapshot?.upgrade.stage).toBeDefined();
    await harness.instance.unitOfWork.flush();
    const history = z.array(upgradeHistoryEntrySchema).parse((await harness.instance.api.maintenance.listUpgrades()).body);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ id: 1, stage: 'Completed', targetVersion: DEMO_BUNDLE_VERSION, failedAps: 0, apCounts: { total: 3, joined: 3 } });
    const detail = upgradeHistoryDetailSchema.parse((await harness.instance.api.maintenance.getUpgrade('1')).body);
    expect(detail.waves.map((wave) => wave.state)).toEqual(detail.waves.map(() => 'done'));
    const audit = (await harness.instance.authApi.audit()).body as { entries: { action: string; username: string }[] };
    expect(audit.entries.map((entry) => entry.action)).toEqual(['login', 'profile.save', 'upgrade.download', 'upgrade.activate']);

    // Another connection to the database sees the same rows: they are in PostgreSQL, not beside the console.
    const reader = await openStore({ engine: 'postgres', url });
    try {
      expect((await reader.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((row) => row.action)).toEqual(['login', 'profile.save', 'upgrade.download', 'upgrade.activate']);
      expect(await reader.db.selectFrom('upgrade').select(['id', 'stage']).execute()).toEqual([{ id: 1, stage: 'Completed' }]);
      const apRows = await reader.db.selectFrom('access_point').select(['name', 'predownload_status', 'primary_image']).orderBy('name').execute();
      expect(apRows).toEqual(aps.map((ap) => ({ name: ap.name, predownload_status: 'Joined', primary_image: DEMO_BUNDLE_VERSION })).sort((a, b) => a.name.localeCompare(b.name)));
    } finally {
      await reader.close();
    }
  });
});
