import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { FleetAp } from '../sim/ap/fleetSpec';
import { DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { SshKeysApi } from '../http/sshKeysApi';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';

const run = promisify(execFile);

// Two site tags of two APs each, from the demo fleet; a slow link, so that a predownload is still under way when it is aborted.
const SITE_A = 'SITE-A';
const SITE_B = 'SITE-B';
const FLEET: FleetAp[] = [
  { ...DEMO_FLEET[0], siteTag: SITE_A },
  { ...DEMO_FLEET[2], siteTag: SITE_A },
  { ...DEMO_FLEET[3], siteTag: SITE_B },
  { ...DEMO_FLEET[4], siteTag: SITE_B },
];
/** The site's APs, in the order the controller lists them (by MAC). */
const inSite = (site: string) =>
  FLEET.filter((ap) => ap.siteTag === site)
    .sort((a, b) => (a.mac < b.mac ? -1 : 1))
    .map((ap) => ap.name);

let serverRoot: string;
let tftpd: { port: number; stop(): Promise<void> };
let harness: ConsoleHarness;
let port: number;
let keyFile: string;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bundle-'));
  ensureDemoBundle(serverRoot, 'scaled');
  tftpd = await startTftpdHpa({ root: serverRoot });
  harness = await startConsoleHarness({ EWC_MAX_RETRIES: '0' });
  port = await harness.instance.cli.listening;
  keyFile = path.join(harness.config.dataDir, 'id_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'automation@host', '-f', keyFile]);
  expect((await new SshKeysApi(harness.instance.sshKeys, harness.instance.auth).add('admin', { publicKey: fs.readFileSync(`${keyFile}.pub`, 'utf8') }, ADMIN)).status).toBe(201);
  expect((await harness.instance.api.saveProfile({ mode: 'TFTP', tftp: { imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port }, parallelMode: false }, ADMIN)).status).toBe(200);
  await harness.startFleet(FLEET, 1000);
});

afterAll(async () => {
  await harness?.dispose();
  await tftpd?.stop();
  fs.rmSync(serverRoot, { recursive: true, force: true });
});

/** One command as 9800 automation sends it with plain `ssh HOST COMMAND`: its output and exit status. */
function ssh(command: string): Promise<{ output: string; code: number | null }> {
  const options = ['-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${path.join(harness.config.dataDir, 'known_hosts')}`];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', [...options, '-i', keyFile, '-p', String(port), 'admin@127.0.0.1', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ output, code }));
  });
}

const statuses = () => Object.fromEntries((harness.instance.api.getApImage().body as ApImageReport).aps.map((ap) => [ap.name, ap.predownloadStatus]));
const upgrade = () => harness.instance.orchestrator.view();
const underWay = new Set(['Initiated', 'Downloading', 'Predownloading']);

describe("IOS-XE 17.15's per-site predownload over plain ssh", () => {
  it('refuses a site tag no AP is in', async () => {
    expect(await ssh('ap image predownload site-tag NOWHERE start')).toEqual({ output: '% Error: No AP of this controller is in site tag NOWHERE.\n', code: 1 });
  });

  it('starts a predownload for one site tag only, and its abort cancels that predownload', async () => {
    const started = await ssh(`ap image predownload site-tag ${SITE_A} start`);
    expect(started).toEqual({ output: `AP image predownload started for site tag ${SITE_A} (upgrade 1); follow it with show ap image.\n`, code: 0 });
    await waitFor('the site to be under way', statuses, (now) => inSite(SITE_A).every((name) => underWay.has(now[name])), 20_000);
    // The other site is not touched.
    for (const name of inSite(SITE_B)) expect(statuses()[name]).toBe('None');

    const aborted = await ssh(`ap image predownload site-tag ${SITE_A} abort`);
    expect(aborted).toEqual({ output: `AP image predownload of site tag ${SITE_A} aborted: every AP drops its partial image.\n`, code: 0 });
    expect(upgrade()).toMatchObject({ upgradeId: 1, stage: 'Cancelled' });
    for (const name of inSite(SITE_A)) expect(statuses()[name]).toBe('Aborted');
    for (const name of inSite(SITE_B)) expect(statuses()[name]).toBe('None');
    expect(
      (await harness.instance.auth.audit.recent()).some((entry) => entry.action === 'upgrade.cancel' && entry.detail === `upgrade 1 (site tag ${SITE_A})` && entry.sourceAddress === '127.0.0.1 (ssh)'),
    ).toBe(true);
  });

  it("stops one site tag's APs in a predownload to every AP, and the others go on to Activate", async () => {
    expect((await ssh('ap image predownload')).output).toContain('AP image predownload started (upgrade 2)');
    await waitFor('site B under way', statuses, (now) => inSite(SITE_B).every((name) => underWay.has(now[name])), 20_000);
    const aborted = await ssh(`ap image predownload site-tag ${SITE_B} abort`);
    expect(aborted).toEqual({ output: `AP image predownload aborted for 2 AP(s) of site tag ${SITE_B} (${inSite(SITE_B).join(', ')}): each drops its partial image; the other APs go on.\n`, code: 0 });
    for (const name of inSite(SITE_B)) expect(statuses()[name]).toBe('Aborted');

    await waitFor('stage Activate', upgrade, (u) => u.stage === 'Activate' || u.stage === 'Failed' || u.stage === 'Cancelled', 90_000);
    expect(upgrade(), upgrade().message ?? '').toMatchObject({ upgradeId: 2, stage: 'Activate' });
    for (const name of inSite(SITE_A)) expect(statuses()[name]).toBe('Complete');
    expect(await ssh(`ap image predownload site-tag ${SITE_B} abort`)).toEqual({ output: '% Error: No predownload is in progress.\n', code: 1 });
  });
});
