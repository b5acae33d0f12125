import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { SyslogLine } from '../../lib/syslog';
import { verifyClaimsAreTrue } from '../../lib/invariants/verifyClaims';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { SshKeysApi } from '../http/sshKeysApi';
import { apStorageDir } from '../sim/ap/apStorage';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';
import { freeTcpPort } from '../sim/testing/freeTcpPort';

// An unsigned vendor bundle on Debian's tftpd-hpa, with EWC_REQUIRE_SIGNED_IMAGES=ask (the default): the
// upgrade fetches its files, holds them until an admin trusts each SHA-256, records who trusted what,
// and delivers only files whose digest was trusted.

const run = promisify(execFile);
const FLEET = [DEMO_FLEET[2], DEMO_FLEET[3]]; // ap1g8 and ap1g6
const IMAGE_TYPES = ['ap1g6', 'ap1g8']; // as the console lists a bundle's files: by name

let root: string;
let tftpd: { port: number; stop(): Promise<void> };
let harness: ConsoleHarness | null = null;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-approval-'));
  ensureDemoBundle(root, 'scaled');
  tftpd = await startTftpdHpa({ root });
});
afterAll(async () => {
  await tftpd?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});
afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

const askConsole = () => startConsoleHarness({ EWC_REQUIRE_SIGNED_IMAGES: 'ask', EWC_MAX_RETRIES: '0' });
const imageFile = (name: string) => path.join(root, DEMO_IMAGE_PATH, name);
const onServer = (name: string) => {
  const bytes = fs.readFileSync(imageFile(name));
  return { name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
};
const bundlePath = () => `tftp://127.0.0.1:${tftpd.port}${DEMO_IMAGE_PATH}`;
const profile = () => ({ mode: 'TFTP', tftp: { imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port }, parallelMode: false });
const upgrade = (h: ConsoleHarness) => h.instance.orchestrator.view();
const apRow = (h: ConsoleHarness, mac: string) => (h.instance.api.getApImage().body as ApImageReport).aps.find((ap) => ap.mac === mac)!;
const syslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map((line) => line.text);
const agentFiles = (h: ConsoleHarness, mac: string) => fs.readdirSync(apStorageDir(path.join(h.config.dataDir, 'fleet'), mac)).filter((name) => /\.(img|part)(\.json)?$/.test(name));
const held = (h: ConsoleHarness) =>
  waitFor(
    'the upgrade to hold its bundle',
    () => upgrade(h),
    (u) => u.bundleApproval !== null || !['Initiate', 'ControllerImageDownload', 'APImageDownload', 'NetworkUpgrade'].includes(u.stage),
    60_000,
  );
const finished = (h: ConsoleHarness) =>
  waitFor(
    'the predownload to end',
    () => upgrade(h),
    (u) => u.stage === 'Activate' || u.stage === 'Failed',
    60_000,
  );
const approve = (h: ConsoleHarness, files: unknown) => h.instance.imageTrustApi.approveBundle({ files }, ADMIN);

describe('an unsigned bundle under EWC_REQUIRE_SIGNED_IMAGES=ask', () => {
  it('is fetched and held with each file and its digest; only an approval naming every file with the digest shown lets it go on, and the lines say who trusted it', async () => {
    harness = await askConsole();
    const h = harness;
    const fleet = await h.startFleet(FLEET);
    expect((await h.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);

    const waiting = await held(h);
    expect(waiting.stage).toBe('APImageDownload');
    expect(waiting.bundleApproval).toEqual({ path: bundlePath(), files: IMAGE_TYPES.map(onServer) });
    expect(h.instance.api.getUpgrade().body).toMatchObject({ bundleApproval: { path: bundlePath(), files: IMAGE_TYPES.map(onServer) } });
    expect(syslog(h)).toContain(
      `Upgrade 1: the bundle ${bundlePath()} is not signed: no AP receives ap1g6, ap1g8 until an administrator trusts ${IMAGE_TYPES.map(onServer)
        .map((f) => `${f.name} (${f.size} bytes) sha256 ${f.sha256}`)
        .join(', ')} (the page, POST /api/software-upgrade/approve-bundle or ap image predownload approve)`,
    );
    // Held: no AP was offered a byte.
    for (const ap of FLEET) {
      expect(apRow(h, ap.mac).predownloadStatus).not.toBe('Complete');
      expect(agentFiles(h, ap.mac)).toEqual([]);
    }

    // Anything but every file with the digest shown is refused, and nothing is trusted.
    const [g6, g8] = IMAGE_TYPES.map(onServer);
    expect(await approve(h, [{ name: 'ap1g8', sha256: g8.sha256 }])).toMatchObject({ status: 409, body: { error: expect.stringContaining(`ap1g6 is missing (sha256 ${g6.sha256})`) } });
    expect(
      await approve(
        h,
        [g8, { name: 'ap1g6', sha256: g8.sha256 }].map(({ name, sha256 }) => ({ name, sha256 })),
      ),
    ).toMatchObject({
      status: 409,
      body: { error: expect.stringContaining(`ap1g6 is sha256 ${g6.sha256}, not ${g8.sha256}`) },
    });
    expect(
      await approve(
        h,
        [...[g8, g6], { name: 'ap3g3', sha256: g8.sha256 }].map(({ name, sha256 }) => ({ name, sha256 })),
      ),
    ).toMatchObject({ status: 409 });
    expect(await approve(h, [{ name: 'ap1g8', sha256: 'not-a-digest' }])).toMatchObject({ status: 400 });
    expect(await approve(h, [])).toMatchObject({ status: 400 });
    expect((await h.instance.auth.audit.recent()).filter((e) => e.action === 'image.trust')).toEqual([]);
    expect(upgrade(h).bundleApproval).not.toBeNull();

    // Digests in capitals, as some vendor pages print them, are the same digests; the files as GET shows them (size too) are accepted.
    // Two admins approving at once (the page and the CLI): one trusts the files, the other finds nothing waiting any more.
    const both = await Promise.all([approve(h, [g8, { ...g6, sha256: g6.sha256.toUpperCase() }]), approve(h, [g8, g6])]);
    expect(both.map((answer) => answer.status)).toEqual([200, 409]);
    expect(both[1].body).toMatchObject({ error: 'No bundle is waiting for approval: nothing was trusted.' });
    expect((await finished(h)).stage).toBe('Activate');
    expect(upgrade(h).bundleApproval).toBeNull();
    for (const ap of FLEET) {
      expect(apRow(h, ap.mac)).toMatchObject({ predownloadStatus: 'Complete', backupImage: DEMO_BUNDLE_VERSION });
      expect(syslog(h)).toContain(`${ap.name}: status 'Image verify success (SHA-256 trusted by admin: the image is not signed).'`);
    }
    const detail = `unsigned bundle ${bundlePath()}: ap1g6 (${g6.size} bytes) sha256 ${g6.sha256}, ap1g8 (${g8.size} bytes) sha256 ${g8.sha256}`;
    expect((await h.instance.auth.audit.recent()).filter((e) => e.action === 'image.trust')).toMatchObject([
      { username: 'admin', detail: `unsigned bundle ${bundlePath()}: ap1g6 (${g6.size} bytes) sha256 ${g6.sha256}` },
      { username: 'admin', detail: `unsigned bundle ${bundlePath()}: ap1g8 (${g8.size} bytes) sha256 ${g8.sha256}` },
    ]);
    expect(syslog(h)).toContain(`Image trust: admin trusted the ${detail} by approval; delivered on this decision, not on a signature`);
    expect(syslog(h).filter((line) => /signing verify success/i.test(line))).toEqual([]);
    // The model-based test's rule: trusted by an admin is not "verify success" of a signature.
    expect(verifyClaimsAreTrue(h.instance.api.getSyslog().body as SyslogLine[], [{ url: bundlePath(), version: DEMO_BUNDLE_VERSION, signed: false }])).toEqual([]);
    await fleet.stop();
  });

  it('needs no second approval for the same files; a file changed since is held again and never reaches its AP', async () => {
    harness = await askConsole();
    const h = harness;
    await h.startFleet(FLEET);
    expect((await h.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    const first = await held(h);
    expect(
      await approve(
        h,
        first.bundleApproval!.files.map(({ name, sha256 }) => ({ name, sha256 })),
      ),
    ).toMatchObject({ status: 200 });
    expect((await finished(h)).stage).toBe('Activate');

    // The same bundle again: it goes through without asking.
    expect((await h.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    expect((await finished(h)).stage).toBe('Activate');
    expect((await h.instance.auth.audit.recent()).filter((e) => e.action === 'image.trust')).toHaveLength(IMAGE_TYPES.length);

    // ap1g8 changes on the image server: same name, other bytes.
    const original = fs.readFileSync(imageFile('ap1g8'));
    const changed = Buffer.from(original);
    changed[1000] ^= 0xff;
    fs.writeFileSync(imageFile('ap1g8'), changed);
    try {
      const before = apRow(h, FLEET[0].mac);
      expect((await h.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
      const again = await held(h);
      expect(again.bundleApproval).toEqual({ path: bundlePath(), files: [onServer('ap1g8')] });
      // Only the changed file waits; its AP is offered nothing of it.
      expect(apRow(h, FLEET[0].mac)).toMatchObject({ backupImage: before.backupImage });
      expect(agentFiles(h, FLEET[0].mac).filter((name) => name.endsWith('.part') || name.endsWith('.part.json'))).toEqual([]);
      expect((await h.instance.api.cancel(ADMIN)).status).toBe(202);
      expect(upgrade(h).bundleApproval).toBeNull();
      expect(await approve(h, [{ name: 'ap1g8', sha256: onServer('ap1g8').sha256 }])).toEqual({
        status: 409,
        body: { error: 'No bundle is waiting for approval: nothing was trusted.', code: 'noBundleWaiting' },
      });
    } finally {
      fs.writeFileSync(imageFile('ap1g8'), original);
    }
  });
});

describe('a controller restarted while it holds an unsigned bundle', () => {
  it('holds the same files again after the restart, delivers nothing meanwhile, and goes on once an admin trusts them', async () => {
    const env = { EWC_REQUIRE_SIGNED_IMAGES: 'ask', EWC_MAX_RETRIES: '0', PORT: String(await freeTcpPort()), EWC_CAPWAP_PORT: String(await freeTcpPort()) };
    harness = await startConsoleHarness(env);
    const fleet = await harness.startFleet(FLEET);
    expect((await harness.instance.api.startDownload(profile(), ADMIN)).status).toBe(202);
    const before = (await held(harness)).bundleApproval;
    await harness.instance.close('controller stopped by SIGTERM');
    harness.browser.close();

    const restarted = await startConsoleHarness(env, harness.config.dataDir);
    harness = restarted;
    restarted.fleet = fleet;
    expect((await held(restarted)).bundleApproval).toEqual(before);
    for (const ap of FLEET) expect(agentFiles(restarted, ap.mac)).toEqual([]);
    expect(
      (
        await approve(
          restarted,
          before!.files.map(({ name, sha256 }) => ({ name, sha256 })),
        )
      ).status,
    ).toBe(200);
    expect((await finished(restarted)).stage).toBe('Activate');
    for (const ap of FLEET) expect(apRow(restarted, ap.mac)).toMatchObject({ predownloadStatus: 'Complete', backupImage: DEMO_BUNDLE_VERSION });
  });
});

describe('the CLI and an unsigned bundle, over plain ssh', () => {
  it('ap image predownload refuses it with each digest; ap image predownload approve trusts it and the APs complete', async () => {
    harness = await askConsole();
    const h = harness;
    const port = await h.instance.cli.listening;
    const keyFile = path.join(h.config.dataDir, 'id_ed25519');
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'automation@host', '-f', keyFile]);
    expect((await new SshKeysApi(h.instance.sshKeys, h.instance.auth).add('admin', { publicKey: fs.readFileSync(`${keyFile}.pub`, 'utf8') }, ADMIN)).status).toBe(201);
    expect((await h.instance.api.saveProfile(profile(), ADMIN)).status).toBe(200);
    await h.startFleet(FLEET);
    const ssh = (command: string) =>
      new Promise<{ output: string; code: number | null }>((resolve, reject) => {
        const options = ['-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${path.join(h.config.dataDir, 'known_hosts')}`];
        const child = spawn('ssh', [...options, '-i', keyFile, '-p', String(port), 'admin@127.0.0.1', command], { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ output, code }));
      });

    const digests = IMAGE_TYPES.map(onServer).map((f) => `  ${f.name}  ${f.size} bytes  sha256 ${f.sha256}`);
    const refusal = [
      `% Error: Upgrade 1 holds the bundle ${bundlePath()}: it is not signed, and no AP receives its images until an administrator trusts them. Compare each SHA-256 with the one its vendor publishes:`,
      ...digests,
      'Trust them with "ap image predownload approve"; the predownload then goes on.',
      '',
    ].join('\n');
    expect(await ssh('ap image predownload')).toEqual({ output: refusal, code: 1 });
    // Asked again while it waits, it says the same, with the same digests.
    expect(await ssh('ap image predownload')).toEqual({ output: refusal, code: 1 });

    const approved = await ssh('ap image predownload approve');
    expect(approved).toEqual({
      output: `Trusted by admin: ${IMAGE_TYPES.map(onServer)
        .map((f) => `${f.name} sha256 ${f.sha256}`)
        .join(', ')}. The predownload goes on; follow it with show ap image.\n`,
      code: 0,
    });
    expect((await finished(h)).stage).toBe('Activate');
    expect((await h.instance.auth.audit.recent()).filter((e) => e.action === 'image.trust')).toMatchObject(IMAGE_TYPES.map(() => ({ username: 'admin', sourceAddress: '127.0.0.1 (ssh)' })));
    expect(await ssh('ap image predownload approve')).toEqual({ output: '% Error: No bundle is waiting for approval.\n', code: 1 });
  });
});
