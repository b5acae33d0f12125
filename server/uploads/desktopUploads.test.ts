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
const disposers: (() => void)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) dispose();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function start(options: { homogeneous?: boolean; maxBytes?: number; quotaBytes?: number; staleAfterMs?: number; inUse?: string } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-uploads-'));
  const maxBytes = options.maxBytes ?? 10_000_000;
  const uploads = new DesktopUploads({
    dir,
    maxBytes,
    quotaBytes: options.quotaBytes ?? 2 * maxBytes,
    staleAfterMs: options.staleAfterMs,
    homogeneous: () => options.homogeneous ?? true,
    inUse: () => options.inUse ?? '',
    trustOf: () => null,
  });
  disposers.push(() => uploads.dispose());
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
    const uploads = new DesktopUploads({ dir, maxBytes: 1_000_000, quotaBytes: 2_000_000, homogeneous: () => true, inUse: () => inUse, trustOf: () => null });
    disposers.push(() => uploads.dispose());
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

  it('holds all uploads to EWC_UPLOAD_QUOTA_BYTES, unfinished ones by their declared length, and deletes unfinished ones left idle', async () => {
    const { dir, endpoint } = await start({ maxBytes: 3_000_000, quotaBytes: 10_000_000, staleAfterMs: 60 * 60_000 });
    /** Starts an upload of `length` bytes, sends its first 100 kB, and leaves it there, as a closed tab would. */
    const abandoned = async (length: number) => {
      const created = await fetch(endpoint, {
        method: 'POST',
        headers: { 'tus-resumable': '1.0.0', 'upload-length': String(length), 'upload-metadata': `filename ${Buffer.from('ap1g8').toString('base64')}` },
      });
      if (created.status !== 201) return { status: created.status, body: await created.text() };
      const url = new URL(created.headers.get('location')!, endpoint).href;
      const patched = await fetch(url, { method: 'PATCH', headers: { 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, body: randomBytes(100_000) });
      expect(patched.status).toBe(204);
      return { status: 201, body: url };
    };
    const replies = [];
    for (let i = 0; i < 30; i += 1) replies.push(await abandoned(2_900_000));
    // Three declared 8.7 MB of the 10 MB; the fourth would go over, and so would every one after it.
    expect(replies.slice(0, 3).map((r) => r.status)).toEqual([201, 201, 201]);
    expect(replies.slice(3).every((r) => r.status === 413)).toBe(true);
    expect(replies[3].body).toBe(
      'Uploads would take 11,600,000 bytes with this one, over EWC_UPLOAD_QUOTA_BYTES (10,000,000 bytes): cancel an unfinished upload, or wait until it expires (1 h after its last byte).',
    );
    expect(fs.readdirSync(dir).filter((f) => !f.endsWith('.json'))).toHaveLength(3);

    // An hour without a byte: the three are deleted at the next upload, which then fits.
    const anHourAgo = new Date(Date.now() - 61 * 60_000);
    for (const file of fs.readdirSync(dir)) fs.utimesSync(path.join(dir, file), anHourAgo, anHourAgo);
    const fresh = await abandoned(2_900_000);
    expect(fresh.status).toBe(201);
    expect(fs.readdirSync(dir).filter((f) => !f.endsWith('.json'))).toEqual([fresh.body.split('/').pop()]);
  });
});
