import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Upload } from 'tus-js-client';
import { afterEach, describe, expect, it } from 'vitest';
import { NON_HOMOGENEOUS_MESSAGE } from '../../lib/httpModeSettings';
import { DesktopUploads } from './desktopUploads';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function start(options: { homogeneous?: boolean; maxBytes?: number; inUse?: string } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-uploads-'));
  const uploads = new DesktopUploads({ dir, maxBytes: options.maxBytes ?? 10_000_000, homogeneous: () => options.homogeneous ?? true, inUse: () => options.inUse ?? '', trustOf: () => null });
  server = createServer((req, res) => void uploads.handle(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { dir, uploads, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/uploads` };
}

/** Uploads with the tus protocol's own Node client; resolves with the upload id and the SHA-256 header, or rejects with the status. */
function upload(endpoint: string, data: Buffer, fileName: string): Promise<{ uploadId: string; sha256: string | undefined }> {
  return new Promise((resolve, reject) => {
    const tus = new Upload(data, {
      endpoint,
      chunkSize: 256 * 1024,
      metadata: { filename: fileName },
      onError: (error) => reject(error),
      onSuccess: ({ lastResponse }) => resolve({ uploadId: (tus.url ?? '').split('/').pop()!, sha256: lastResponse.getHeader('upload-sha256') }),
    });
    tus.start();
  });
}

describe('Desktop (HTTP) uploads over tus', () => {
  it('hashes a finished upload once, names it safely, and keeps only the newest and the one in use', async () => {
    const { dir, uploads, endpoint } = await start();
    const first = randomBytes(700_000);
    const a = await upload(endpoint, first, 'ap1g8\n17.15.2.3.bin');
    const sha = createHash('sha256').update(first).digest('hex');
    expect(a.sha256).toBe(sha);
    expect(uploads.image(a.uploadId)).toEqual({ uploadId: a.uploadId, fileName: 'ap1g8_17.15.2.3.bin', size: first.length, sha256: sha });
    expect(fs.readFileSync(uploads.filePath(a.uploadId)).equals(first)).toBe(true);

    const b = await upload(endpoint, randomBytes(300_000), 'ap1g8-second.bin');
    expect(uploads.image(b.uploadId)).not.toBeNull();
    expect(uploads.image(a.uploadId)).toBeNull();
    expect(fs.readdirSync(dir).some((f) => f.startsWith(a.uploadId))).toBe(false);
    expect(uploads.image('../etc/passwd')).toBeNull();
    expect((await fetch(endpoint.replace('/api/uploads', '/api/uploads/in-use'))).status).toBe(404);
  });

  it('answers which uploaded image the saved profile uses', async () => {
    let inUse = '';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-uploads-'));
    const uploads = new DesktopUploads({ dir, maxBytes: 1_000_000, homogeneous: () => true, inUse: () => inUse, trustOf: () => null });
    server = createServer((req, res) => void uploads.handle(req, res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { uploadId, sha256 } = await upload(`${base}/api/uploads`, randomBytes(5000), 'ap1g8');
    inUse = uploadId;
    expect(await (await fetch(`${base}/api/uploads/in-use`)).json()).toEqual({ uploadId, fileName: 'ap1g8', size: 5000, sha256, trust: null });
  });

  it('refuses an upload over the size cap (413) and any upload in a non-homogeneous network (409, the banner words)', async () => {
    const capped = await start({ maxBytes: 100_000 });
    const tooBig = await upload(capped.endpoint, randomBytes(100_001), 'big').catch((e) => e.originalResponse.getStatus());
    expect(tooBig).toBe(413);
    expect(fs.readdirSync(capped.dir)).toEqual([]);
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    const mixed = await start({ homogeneous: false });
    const refused = await upload(mixed.endpoint, randomBytes(1000), 'ap1g8').catch((e) => ({ status: e.originalResponse.getStatus(), body: e.originalResponse.getBody() }));
    expect(refused).toEqual({ status: 409, body: NON_HOMOGENEOUS_MESSAGE });
  });
});
