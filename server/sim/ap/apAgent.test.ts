import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageOffer } from '../../../lib/capwapEvents';
import { ApAgent } from './apAgent';

// The AP's side of a transfer, driven through the handlers its controller connection calls, with no
// controller: what a dropped link or an abort does to a transfer that is finishing.
type Handlers = {
  begin(offer: ImageOffer): Promise<{ ok: boolean }>;
  receive(transferId: string, offset: number, data: Buffer): Promise<{ ok: boolean }>;
  finish(transferId: string): Promise<{ ok: boolean; message: string }>;
  abort(reason: string): Promise<void>;
};

let dir: string | null = null;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function agentWithImage() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-agent-'));
  const agent = new ApAgent({
    controllerUrls: ['https://127.0.0.1:1'],
    trust: { caCertPem: '', enrolmentToken: '' },
    vendorKeys: [],
    ap: { name: 'AP-1', mac: '0a00.0000.0001', model: 'C9105AXI-B', imageType: 'ap1g8', primaryVersion: '17.9.4.27', backupVersion: '17.3.3.26', freeSpaceKb: 400_000, hostsController: false },
    storageDir: dir,
    linkKbps: 0,
    reloadMs: 0,
  });
  const image = randomBytes(4096);
  const offer: ImageOffer = {
    transferId: 't1',
    kind: 'ap',
    fileName: 'ap1g8',
    version: '17.12.1.5',
    size: image.length,
    sha256: createHash('sha256').update(image).digest('hex'),
    verification: { method: 'sha256-only' },
  };
  return { agent, handlers: agent as unknown as Handlers, image, offer };
}

describe('a transfer the AP drops while it finishes', () => {
  it('is not staged when the link drops between the last block and the end', async () => {
    const { agent, handlers, image, offer } = agentWithImage();
    await handlers.begin(offer);
    await handlers.receive(offer.transferId, 0, image);
    const finishing = handlers.finish(offer.transferId);
    await agent.stop();
    expect(await finishing).toMatchObject({ ok: false, message: 'Transfer aborted' });
    expect(agent.images.backupVersion).toBe('17.3.3.26');
  });

  it('is not staged, and nothing throws, when the controller aborts it as it finishes', async () => {
    const { agent, handlers, image, offer } = agentWithImage();
    await handlers.begin(offer);
    await handlers.receive(offer.transferId, 0, image);
    const finishing = handlers.finish(offer.transferId);
    await handlers.abort('Predownload cancelled by the administrator');
    expect(await finishing).toMatchObject({ ok: false, message: 'Transfer aborted' });
    expect(agent.images.backupVersion).toBe('17.3.3.26');
    expect(fs.readdirSync(dir!).filter((name) => name.includes('.part'))).toEqual([]);
  });

  it('is superseded by a newer offer of the same image, which alone is staged', async () => {
    const { agent, handlers, image, offer } = agentWithImage();
    await handlers.begin(offer);
    const again = { ...offer, transferId: 't2' };
    await handlers.begin(again);
    await handlers.receive(again.transferId, 0, image);
    expect(await handlers.finish(offer.transferId)).toMatchObject({ ok: false });
    expect(await handlers.finish(again.transferId)).toMatchObject({ ok: true });
    expect(agent.images.backupVersion).toBe('17.12.1.5');
  });
});
