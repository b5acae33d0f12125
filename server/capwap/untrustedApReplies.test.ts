import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApImageReport } from '../../lib/apImage';
import type { ApJoinInfo, ImageOffer } from '../../lib/capwapEvents';
import { ensureApCredentials } from '../sim/ap/apCredentials';
import { DEMO_IMAGE_PATH, ensureDemoBundle } from '../sim/demo/demoBundle';
import { ADMIN, startConsoleHarness, waitFor, type ConsoleHarness } from '../sim/testing/consoleHarness';
import { rawJoin, type RawApSocket } from '../sim/testing/rawApClient';
import { startTftpdHpa, type RunningTftpd } from '../sim/testing/tftpdHpa';

// The controller must not believe an AP: every reply is parsed and checked, and a bad one fails that AP with a line.
const JOIN: ApJoinInfo = {
  name: 'AP-LIAR',
  mac: '0a0b.0c0d.0e0f',
  model: 'C9120AXI-B',
  imageType: 'ap1g7',
  primaryVersion: '17.9.4.27',
  backupVersion: '17.3.3.26',
  freeSpaceKb: 400_000,
  hostsController: false,
};

interface Behaviour {
  begin?: (offer: ImageOffer) => unknown;
  data?: (block: { offset: number; data: Buffer }, received: number) => unknown;
  end?: (sha256: string, offer: ImageOffer) => unknown;
  reload?: () => unknown;
}

/**
 * An AP that speaks the protocol honestly except where a behaviour says otherwise. It is a real,
 * enrolled AP (its certificate from the console's CA, joined over mutual TLS): admission is not what
 * is tested here, what it says once admitted is.
 */
async function fakeAp(h: ConsoleHarness, behaviour: Behaviour): Promise<RawApSocket> {
  const caCertPem = fs.readFileSync(path.join(h.instance.trust.pkiDir, 'ca.crt'), 'utf8');
  const credentials = await ensureApCredentials(fs.mkdtempSync(path.join(h.config.dataDir, 'liar-')), JOIN.mac, [h.capwapUrl], { caCertPem, enrolmentToken: h.instance.trust.joinToken });
  const { socket, error } = await rawJoin(h.capwapUrl, { ...JOIN }, { key: credentials.keyPem, cert: credentials.certPem });
  if (error) throw new Error(`The fake AP could not join: ${error}`);
  // A liar answers whatever it likes: its replies are untyped on purpose.
  const liar: Socket = socket;
  const transfers = new Map<string, { offer: ImageOffer; hash: ReturnType<typeof createHash>; received: number }>();
  liar.on('image:precheck', (_offer: ImageOffer, ack: (reply: unknown) => void) => ack({ ok: true, availableKb: 400_000, requiredKb: 1, message: 'OK' }));
  liar.on('image:begin', (offer: ImageOffer, ack: (reply: unknown) => void) => {
    transfers.set(offer.transferId, { offer, hash: createHash('sha256'), received: 0 });
    ack(behaviour.begin?.(offer) ?? { ok: true, offset: 0, message: '' });
  });
  liar.on('image:data', (block: { transferId: string; offset: number; data: Buffer }, ack: (reply: unknown) => void) => {
    const transfer = transfers.get(block.transferId)!;
    transfer.hash.update(block.data);
    transfer.received += block.data.length;
    ack(behaviour.data?.(block, transfer.received) ?? { ok: true, received: transfer.received, message: '' });
  });
  liar.on('image:end', ({ transferId }: { transferId: string }, ack: (reply: unknown) => void) => {
    const transfer = transfers.get(transferId)!;
    const sha256 = transfer.hash.digest('hex');
    ack(behaviour.end?.(sha256, transfer.offer) ?? { ok: true, sha256, message: 'Image signing verify success.' });
  });
  liar.on('image:abort', (_abort: unknown, ack: () => void) => ack());
  liar.on('ap:reload', (ack: (reply?: unknown) => void) => ack(behaviour.reload?.()));
  return socket;
}

let serverRoot: string;
let tftpd: RunningTftpd;
let harness: ConsoleHarness | null = null;
let ap: RawApSocket | null = null;

beforeAll(async () => {
  serverRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-liar-bundle-'));
  // Three blocks of 64 KiB and a bit: enough for a reply to contradict an earlier one.
  ensureDemoBundle(serverRoot, 200_000);
  tftpd = await startTftpdHpa({ root: serverRoot });
});

afterAll(async () => {
  await tftpd?.stop();
  fs.rmSync(serverRoot, { recursive: true, force: true });
});

afterEach(async () => {
  ap?.disconnect();
  ap = null;
  await harness?.dispose();
  harness = null;
});

async function predownloadTo(behaviour: Behaviour): Promise<ConsoleHarness> {
  harness = await startConsoleHarness({ EWC_MAX_RETRIES: '0' });
  ap = await fakeAp(harness, behaviour);
  await waitFor(
    'the AP joined',
    () => harness!.instance.api.getApImage().body as ApImageReport,
    (r) => r.aps.some((row) => row.connected),
  );
  const started = await harness.instance.api.startDownload({ mode: 'TFTP', imageServer: '127.0.0.1', imagePath: DEMO_IMAGE_PATH, port: tftpd.port, parallelMode: false }, ADMIN);
  expect(started.status).toBe(202);
  await waitFor(
    'the predownload to end',
    () => harness!.instance.orchestrator.view().stage,
    (stage) => stage === 'Failed' || stage === 'Activate',
  );
  return harness;
}

const row = (h: ConsoleHarness) => (h.instance.api.getApImage().body as ApImageReport).aps.find((r) => r.mac === JOIN.mac)!;
const logText = (h: ConsoleHarness) => (h.instance.api.getSyslog().body as { text: string }[]).map((line) => line.text).join('\n');

describe('an AP whose replies cannot be trusted', () => {
  it('fails when it reports a final digest other than the one offered (and is not marked Complete)', async () => {
    const h = await predownloadTo({ end: () => ({ ok: true, sha256: 'f'.repeat(64), message: 'Image signing verify success.' }) });
    const expected = createHash('sha256')
      .update(fs.readFileSync(path.join(serverRoot, DEMO_IMAGE_PATH, 'ap1g7')))
      .digest('hex');
    expect(row(h).predownloadStatus).toBe('Failed');
    expect(row(h).lastError).toBe(`Image verification failed: AP reported sha256 ${'f'.repeat(64)}, expected ${expected}`);
    expect(row(h).backupImage).toBe('17.3.3.26');
    expect(logText(h)).toContain(`AP Name: AP-LIAR Mac: ${JOIN.mac} Image Predownload Failed: Image verification failed: AP reported sha256 ${'f'.repeat(64)}`);
    expect(h.instance.orchestrator.view().stage).toBe('Failed');
  });

  it('fails when it asks to resume beyond the image', async () => {
    const h = await predownloadTo({ begin: (offer) => ({ ok: true, offset: offer.size + 1, message: '' }) });
    expect(row(h).predownloadStatus).toBe('Failed');
    expect(row(h).lastError).toBe('AP asked to resume at byte 200001, beyond the 200000 bytes it can hold of ap1g7');
  });

  it('fails when its received count goes backwards, or claims more than was sent', async () => {
    let h = await predownloadTo({ data: (block, received) => ({ ok: true, received: block.offset === 0 ? received : 1, message: '' }) });
    expect(row(h).lastError).toBe('AP reported 1 bytes received after 65536');
    await h.dispose();
    ap?.disconnect();
    h = await predownloadTo({ data: () => ({ ok: true, received: 10_000_000, message: '' }) });
    expect(row(h).lastError).toBe('AP reported 10000000 bytes received, more than the 65536 sent');
  });

  it('fails with a clear line on a reply of the wrong shape', async () => {
    const h = await predownloadTo({ end: () => ({ ok: 'yes' }) });
    expect(row(h).predownloadStatus).toBe('Failed');
    expect(row(h).lastError).toMatch(/^AP sent an invalid image end reply \(ok: /);
  });

  it('fails an AP that answers a reload with an empty reply, without an unhandled rejection', async () => {
    const h = await predownloadTo({ reload: () => undefined });
    expect(h.instance.orchestrator.view().stage).toBe('Activate');
    expect((await h.instance.api.activate(ADMIN)).status).toBe(202);
    await waitFor(
      'the reload to end',
      () => h.instance.orchestrator.view().stage,
      (stage) => stage === 'Failed' || stage === 'Completed',
    );
    expect(row(h).predownloadStatus).toBe('Failed');
    expect(row(h).lastError).toMatch(/^AP sent an invalid reload reply/);
    expect(logText(h)).toContain('Reload failed: AP sent an invalid reload reply');
  });
});
