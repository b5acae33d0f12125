import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { ImageDownloadProfileView } from '../../lib/imageDownloadProfile';
import type { SyslogLine } from '../../lib/syslog';
import { DEMO_BUNDLE_VERSION, DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { DEMO_FLEET } from '../sim/demo/demoFleet';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { startTftpdHpa } from '../sim/testing/tftpdHpa';

// TFTP and SFTP each keep their own image server, path and port, as IOS keeps tftp-image-* and sftp-image-* apart.
let serverRoot: string;
let tftpd: { port: number; stop(): Promise<void> };
let harness: ConsoleHarness | null = null;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-modes-'));
  ensureDemoBundle(serverRoot, 'scaled');
  tftpd = await startTftpdHpa({ root: serverRoot });
});

afterAll(async () => {
  await tftpd?.stop();
  fs.rmSync(serverRoot, { recursive: true, force: true });
});

afterEach(async () => {
  await harness?.dispose();
  harness = null;
});

const SFTP_PORT = 2422;
const view = (h: ConsoleHarness) => h.instance.api.getProfile().body as ImageDownloadProfileView;
const syslog = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as SyslogLine[]).map((line) => line.text).join('\n');
const tftpSaved = () => ({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: false });
const sftpSaved = { mode: 'SFTP', imageServer: '127.0.0.1', imagePath: 'EWC/17_12_1_5', port: SFTP_PORT, parallelMode: false, sftp: { username: 'ewc-demo', password: 'ewc-demo-password' } };

describe('switching between TFTP and SFTP', () => {
  it('keeps each mode its own port: the SFTP port 2422 does not become the TFTP port, a predownload goes to the TFTP server, and SFTP shows 2422 again', async () => {
    harness = await startConsoleHarness();
    await harness.startFleet(DEMO_FLEET.slice(0, 2));
    const { api } = harness.instance;
    expect((await api.saveProfile(tftpSaved(), ADMIN)).status).toBe(200);
    expect((await api.saveProfile(sftpSaved, ADMIN)).status).toBe(200);
    expect(view(harness)).toMatchObject({ mode: 'SFTP', port: SFTP_PORT });

    // The admin switches back to TFTP and presses Save & Download: the save names the mode only.
    const started = await api.startDownload({ mode: 'TFTP' }, ADMIN);
    expect(started.status).toBe(202);
    expect(view(harness)).toMatchObject({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port });
    await waitFor(
      'the predownload to end',
      () => harness!.instance.orchestrator.view(),
      (u) => u.stage === 'Activate' || u.stage === 'Failed',
      90_000,
    );
    expect(harness.instance.orchestrator.view()).toMatchObject({ stage: 'Activate', targetVersion: DEMO_BUNDLE_VERSION });
    expect((api.getApImage().body as ApImageReport).aps.map((ap) => ap.predownloadStatus)).toEqual(['Complete', 'Complete']);
    expect(syslog(harness)).toContain(`tftp://127.0.0.1:${tftpd.port}${DEMO_IMAGE_PATH}/`);
    expect(syslog(harness)).not.toContain(`:${SFTP_PORT}`);

    // And back to SFTP: its own server, path and port, as saved.
    expect((await api.saveProfile({ mode: 'SFTP' }, ADMIN)).status).toBe(200);
    expect(view(harness)).toMatchObject({
      mode: 'SFTP',
      imageServer: '127.0.0.1',
      imagePath: 'EWC/17_12_1_5',
      port: SFTP_PORT,
      tftp: { port: tftpd.port },
      sftp: { port: SFTP_PORT, hasPassword: true },
    });
  });

  it('takes the top-level server fields for the selected mode only, both modes by name, and refuses the two disagreeing', async () => {
    harness = await startConsoleHarness();
    const { api } = harness.instance;
    expect((await api.saveProfile(tftpSaved(), ADMIN)).status).toBe(200);
    // A script still sending the whole profile in the old shape, without a port: the TFTP slot keeps its own.
    expect((await api.saveProfile({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: '/EWC/other', parallelMode: true }, ADMIN)).status).toBe(200);
    expect(view(harness)).toMatchObject({ port: tftpd.port, tftp: { imageServer: '127.0.0.1', imagePath: '/EWC/other', port: tftpd.port }, sftp: { imageServer: '', imagePath: '', port: 22 } });

    // Both modes named at once, the selected one TFTP: the SFTP lines wait for when SFTP is chosen.
    expect((await api.saveProfile({ sftp: { imageServer: '10.0.0.7', imagePath: 'EWC/17_12_1_5', port: SFTP_PORT, username: 'calo' }, tftp: { port: 6969 } }, ADMIN)).status).toBe(200);
    expect(view(harness)).toMatchObject({ mode: 'TFTP', port: 6969, tftp: { port: 6969 }, sftp: { imageServer: '10.0.0.7', port: SFTP_PORT } });

    // What GET returned, sent back with another mode: its top-level server, path and port are TFTP's, not SFTP's, and the save says so.
    const switched = await api.saveProfile({ ...view(harness), mode: 'SFTP' }, ADMIN);
    expect(switched).toMatchObject({ status: 400, body: { issues: expect.arrayContaining([{ path: 'port', message: `port 6969 and sftp.port ${SFTP_PORT} differ: send one of them` }]) } });
    const refused = await api.saveProfile({ port: 70, tftp: { port: 71 } }, ADMIN);
    expect(refused).toMatchObject({ status: 400, body: { issues: [{ path: 'port', message: 'port 70 and tftp.port 71 differ: send one of them' }] } });
    // SFTP without a password stored: the merged profile is refused, and nothing of the save is kept.
    expect(await api.saveProfile({ mode: 'SFTP', sftp: { port: 2223 } }, ADMIN)).toMatchObject({
      status: 400,
      body: { issues: [{ path: 'sftp.password', message: 'Password is required in SFTP mode' }] },
    });
    expect(view(harness)).toMatchObject({ mode: 'TFTP', sftp: { port: SFTP_PORT } });

    // In CCO mode no image server is in use: the view says null, and what GET returns can be sent back as it is.
    const cco = { catalogUrl: 'https://catalog.example.com', username: 'noc' };
    expect((await api.saveProfile({ mode: 'CCO', cco }, ADMIN)).status).toBe(200);
    const inCco = view(harness);
    expect(inCco).toMatchObject({ mode: 'CCO', imageServer: null, imagePath: null, port: null, tftp: { port: 6969 }, sftp: { port: SFTP_PORT } });
    expect((await api.saveProfile(inCco, ADMIN)).status).toBe(200);
    expect(view(harness)).toEqual(inCco);
  });
});
