import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { UpgradeHistoryEntry } from '../../lib/upgradeHistory';
import type { FleetAp } from '../sim/ap/fleetSpec';
import { startTestCatalog, TEST_ACCOUNT, type TestCatalog } from '../sim/catalog/catalogTestKit';
import { sshExec } from '../sim/testing/sshShell';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH } from '../sim/demo/demoBundle';
import { DEMO_FLEET_VERSION } from '../sim/demo/demoFleet';
import { demoBundleServerForFile } from '../sim/testing/demoBundleServer';
import { ADMIN, startConsoleHarness, TEST_ADMIN_PASSWORD, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';

const server = demoBundleServerForFile('ewc-backup-');

let harness: ConsoleHarness | null = null;
let catalog: TestCatalog | null = null;
afterEach(async () => {
  await harness?.dispose();
  await catalog?.service.close();
  if (catalog) fs.rmSync(catalog.root, { recursive: true, force: true });
  harness = catalog = null;
});

const ap = (name: string, mac: string, imageType: string, primaryVersion: string, backupVersion: string): FleetAp => ({
  name,
  mac,
  model: 'C9130AXI-B',
  imageType,
  primaryVersion,
  backupVersion,
  freeSpaceKb: 400_000,
  hostsController: false,
});
// Two APs already run the bundle's version, each with another fallback; one does not.
const FLEET = [
  ap('AP-RUNNING-1', '70f0.96a1.0011', 'ap1g8', DEMO_BUNDLE_VERSION, DEMO_FLEET_VERSION),
  ap('AP-RUNNING-2', '70f0.96a1.0012', 'ap1g7', DEMO_BUNDLE_VERSION, '17.3.3.26'),
  ap('AP-OLD', '70f0.96a1.0013', 'ap1g8', DEMO_FLEET_VERSION, '17.3.3.26'),
];

const profile = (imagePath = DEMO_IMAGE_PATH) => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath, port: server.port, parallelMode: false });
const view = (h: ConsoleHarness) => h.instance.orchestrator.view();
const rows = (h: ConsoleHarness) => Object.fromEntries((h.instance.api.getApImage().body as ApImageReport).aps.map((row) => [row.name, row]));
const history = async (h: ConsoleHarness) => (await h.instance.api.maintenance.listUpgrades()).body as UpgradeHistoryEntry[];
const syslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as { text: string }[]).map((line) => line.text);

describe('predownloading the version the APs already run', () => {
  it('is refused (409, CLI % Error) unless the admin confirms that the backup image will be replaced', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet(FLEET);
    const refused = await harness.instance.api.startDownload(profile(), ADMIN);
    expect(refused.status).toBe(409);
    const body = refused.body as { error: string; backupReplacement: { version: string; count: number; aps: { name: string; backupImage: string }[] } };
    expect(body.backupReplacement).toMatchObject({ version: DEMO_BUNDLE_VERSION, count: 2 });
    expect(body.backupReplacement.aps).toEqual([
      expect.objectContaining({ name: 'AP-RUNNING-1', backupImage: DEMO_FLEET_VERSION }),
      expect.objectContaining({ name: 'AP-RUNNING-2', backupImage: '17.3.3.26' }),
    ]);
    expect(body.error).toContain(`2 AP(s) already run ${DEMO_BUNDLE_VERSION}`);
    expect(body.error).toContain(`AP-RUNNING-1 loses ${DEMO_FLEET_VERSION}`);
    // Nothing started and nothing changed.
    expect(await history(harness)).toEqual([]);
    expect(rows(harness)['AP-RUNNING-1']).toMatchObject({ predownloadStatus: 'None', backupImage: DEMO_FLEET_VERSION });

    const port = await harness.instance.cli.listening;
    const login = { username: 'admin', password: TEST_ADMIN_PASSWORD };
    const cli = await sshExec(port, login, 'ap image predownload');
    expect(cli.code).toBe(1);
    expect(cli.output).toMatch(new RegExp(`^% Error: 2 AP\\(s\\) already run ${DEMO_BUNDLE_VERSION.replace(/\./g, '\\.')}`, 'm'));
    expect(cli.output).toContain('ap image predownload replace-backup');
    expect(await history(harness)).toEqual([]);

    // A bundle whose version.info cannot be read is not a question: the run is created and fails at once.
    const wrong = await harness.instance.api.startDownload(profile('/Wrong-Path'), ADMIN);
    expect(wrong.status).toBe(202);
    expect(view(harness)).toMatchObject({ stage: 'Failed' });
    expect(view(harness).message).toContain('/Wrong-Path/version.info: No such file or directory');

    // The CLI says so too, instead of "started".
    expect((await sshExec(port, login, 'ap image predownload')).output).toMatch(/^% Error: Upgrade \d+ failed: Failed to download file \S+\/Wrong-Path\/version\.info: No such file or directory/m);

    // Confirmed on the CLI: the backup images are replaced, as the admin accepted.
    expect((await harness.instance.api.saveProfile(profile(), ADMIN)).status).toBe(200);
    const confirmed = await sshExec(port, login, 'ap image predownload replace-backup');
    expect(confirmed.output).toContain('AP image predownload started');
    await waitFor(
      'stage Activate',
      () => view(harness!).stage,
      (stage) => stage === 'Activate' || stage === 'Failed',
      60_000,
    );
    expect(rows(harness)['AP-RUNNING-1']).toMatchObject({ predownloadStatus: 'Complete', backupImage: DEMO_BUNDLE_VERSION });
    expect(syslog(harness).some((line) => line.includes(`replacing the backup image of 2 AP(s) that already run ${DEMO_BUNDLE_VERSION}`))).toBe(true);

    // Confirmed through the API's field.
    expect((await harness.instance.api.startDownload({ ...profile(), confirmReplaceBackup: true }, ADMIN)).status).toBe(202);
    expect((await harness.instance.api.startDownload({ ...profile(), confirmReplaceBackup: 'yes' }, ADMIN)).status).toBe(400);
  });

  it('is refused for CCO Recommended once the fleet runs it', async () => {
    catalog = await startTestCatalog(50_000);
    harness = await startConsoleHarness({ EWC_CATALOG_TIMEOUT_MS: '5000' });
    await harness.startFleet([ap('AP-CCO', '70f0.96a1.0021', 'ap1g8', '17.12.1.5', DEMO_FLEET_VERSION)]);
    const cco = { catalogUrl: catalog.service.url, username: TEST_ACCOUNT.username, password: TEST_ACCOUNT.key, release: 'recommended', caCertificate: catalog.certificate.caPem.trim() };
    const refused = await harness.instance.api.startDownload({ mode: 'CCO', parallelMode: false, cco }, ADMIN);
    expect(refused.status).toBe(409);
    expect((refused.body as { error: string }).error).toContain('1 AP(s) already run 17.12.1.5');
    expect(await history(harness)).toEqual([]);
  });

  it('a scheduled Save & Download leaves out the APs that run the version, keeping their backup image, and says so', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet(FLEET);
    const at = new Date(Date.now() + 1500).toISOString();
    expect((await harness.instance.api.startDownload({ ...profile(), at }, ADMIN)).status).toBe(202);
    await waitFor(
      'the scheduled predownload at Activate',
      () => view(harness!),
      (u) => u.upgradeId !== null && (u.stage === 'Activate' || u.stage === 'Failed'),
      60_000,
    );
    expect(view(harness).stage).toBe('Activate');
    const after = rows(harness);
    expect(after['AP-OLD']).toMatchObject({ predownloadStatus: 'Complete', backupImage: DEMO_BUNDLE_VERSION });
    expect(after['AP-RUNNING-1']).toMatchObject({ predownloadStatus: 'None', backupImage: DEMO_FLEET_VERSION });
    expect(after['AP-RUNNING-2']).toMatchObject({ predownloadStatus: 'None', backupImage: '17.3.3.26' });
    expect(syslog(harness).some((line) => line.includes(`2 AP(s) already run ${DEMO_BUNDLE_VERSION} and keep their backup image`) && line.includes('AP-RUNNING-1'))).toBe(true);
  });
});
