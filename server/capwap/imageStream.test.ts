import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImageOffer } from '../../lib/capwapEvents';
import { streamImage, UNACKNOWLEDGED_WINDOW_BYTES, type CapwapSocket, type SendToAp } from './imageStream';

// The resume rule alone, with an AP that answers as told: how far it may ask to resume after a delivery cut
// short, where acknowledgements of blocks it had written were lost with the link.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-image-stream-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const SIZE = 2 * 1024 * 1024;
const file = path.join(dir, 'ap1g8');
fs.writeFileSync(file, Buffer.alloc(SIZE, 7));
const offer = { transferId: 't1', kind: 'ap', fileName: 'ap1g8', version: '17.12.1.5', size: SIZE, sha256: 'a'.repeat(64), verification: { kind: 'sha256-only' } } as unknown as ImageOffer;

/** An AP that holds `holds` bytes: it asks to resume there and acknowledges every block it is sent. */
function apHolding(holds: number): SendToAp {
  const socket = {
    timeout: () => ({
      emitWithAck: async (event: string, payload: { offset: number; data: Buffer }) => {
        if (event === 'image:begin') return { ok: true, offset: holds, message: '' };
        if (event === 'image:data') return { ok: true, received: payload.offset + payload.data.length, message: '' };
        return { ok: true, sha256: 'a'.repeat(64), message: '' };
      },
    }),
  } as unknown as CapwapSocket;
  return (send) => send(socket);
}

const deliver = (holds: number, acknowledgedBefore: number) =>
  streamImage(apHolding(holds), offer, file, { signal: new AbortController().signal, maxResumeOffset: acknowledgedBefore, onAcknowledged: () => undefined });

describe('an AP resuming an image', () => {
  it('may hold the blocks of one window beyond what it acknowledged: their acknowledgements were lost with the link', async () => {
    const acknowledged = 131_072;
    // What the AP port's worker had sent before it died: three more blocks written, their acknowledgements lost.
    await expect(deliver(196_608, acknowledged)).resolves.toMatchObject({ ok: true });
    await expect(deliver(acknowledged + UNACKNOWLEDGED_WINDOW_BYTES, acknowledged)).resolves.toMatchObject({ ok: true });
  });

  it('is refused beyond that window, and beyond the image', async () => {
    await expect(deliver(131_072 + UNACKNOWLEDGED_WINDOW_BYTES + 1, 131_072)).rejects.toThrow(
      `AP asked to resume at byte ${131_072 + UNACKNOWLEDGED_WINDOW_BYTES + 1}, beyond the ${131_072 + UNACKNOWLEDGED_WINDOW_BYTES} bytes it can hold of ap1g8`,
    );
    await expect(deliver(SIZE + 1, SIZE)).rejects.toThrow(`AP asked to resume at byte ${SIZE + 1}, beyond the ${SIZE} bytes it can hold of ap1g8`);
  });
});
