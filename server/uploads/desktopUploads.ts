import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import { NON_HOMOGENEOUS_MESSAGE, UPLOAD_IN_USE_PATH, UPLOADS_PATH, uploadedImageSchema, type DesktopImage, type UploadedImage } from '../../lib/httpModeSettings';
import { sha256OfFile } from '../imageSigning/fileDigest';
import { formatBytes, heldUploads, removeStaleUploads, reservedBytes } from './uploadSpace';

export interface DesktopUploadsOptions {
  dir: string;
  maxBytes: number;
  /** What all uploads together may take, finished or not (an unfinished one counts with its declared length). */
  quotaBytes: number;
  /** An unfinished upload nobody wrote to for this long is deleted; defaults to a day. */
  staleAfterMs?: number;
  /** Desktop (HTTP) mode serves one image: uploads are refused while the APs run several image types. */
  homogeneous: () => boolean;
  /** The upload the saved profile points at: kept when a newer upload replaces the others. */
  inUse: () => string;
  /** The admin's trust of an image's SHA-256, if given (uploads carry no vendor signature). */
  trustOf: (sha256: string) => DesktopImage['trust'];
}

const UPLOAD_ID = /^[A-Za-z0-9_-]{1,128}$/;
export const STALE_UPLOAD_MS = 24 * 60 * 60_000;
// How often stale unfinished uploads are looked for besides at each new upload.
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Desktop (HTTP) mode's uploads, over the tus resumable-upload protocol (`@tus/server` with its
 * file store): a dropped connection resumes at the offset the server holds, a cancelled upload
 * is deleted, and a finished one is hashed once and described in `<id>.image.json`.
 */
export class DesktopUploads {
  private readonly tus: Server;
  // Uploads admitted whose files the store has not written yet: two creations at once must not both fit the same space.
  private readonly reserved = new Map<string, number>();
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly options: DesktopUploadsOptions) {
    fs.mkdirSync(options.dir, { recursive: true });
    this.removeStale();
    this.sweep = setInterval(() => this.removeStale(), SWEEP_EVERY_MS);
    this.sweep.unref();
    this.tus = new Server({
      path: UPLOADS_PATH,
      datastore: new FileStore({ directory: options.dir }),
      maxSize: options.maxBytes,
      // The console answers its own origin only; ids in Location stay relative to it.
      relativeLocation: true,
      onUploadCreate: async (_req, upload) => {
        if (!options.homogeneous()) throw { status_code: 409, body: NON_HOMOGENEOUS_MESSAGE };
        this.removeStale();
        const wanted = upload.size ?? options.maxBytes;
        const total = this.heldBytes() + wanted;
        if (total > options.quotaBytes) {
          const hours = Math.round((options.staleAfterMs ?? STALE_UPLOAD_MS) / 3_600_000);
          throw {
            status_code: 413,
            body: `Uploads would take ${formatBytes(total)} with this one, over EWC_UPLOAD_QUOTA_BYTES (${formatBytes(options.quotaBytes)}): cancel an unfinished upload, or wait until it expires (${hours} h after its last byte).`,
          };
        }
        this.reserved.set(upload.id, wanted);
        return { metadata: upload.metadata };
      },
      onUploadFinish: async (_req, upload) => {
        const image = await this.describe(upload.id, upload.metadata?.filename ?? upload.id);
        this.removeFinishedExcept([upload.id, options.inUse()]);
        return { status_code: 204, headers: { 'upload-sha256': image.sha256 } };
      },
    });
    // The image the saved profile points at, so the page can show its name, SHA-256 and trust after a reload.
    this.tus.get(UPLOAD_IN_USE_PATH, async () => {
      const image = this.describedWithTrust(options.inUse());
      return image ? Response.json(image) : Response.json({ error: 'No uploaded image is in use' }, { status: 404 });
    });
  }

  dispose(): void {
    clearInterval(this.sweep);
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.tus.handle(req, res);
  }

  /** A finished upload, or null when there is none with this id. */
  image(uploadId: string): UploadedImage | null {
    if (!UPLOAD_ID.test(uploadId)) return null;
    try {
      const parsed = uploadedImageSchema.safeParse(JSON.parse(fs.readFileSync(this.describedPath(uploadId), 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** A finished upload and whether an admin trusted its SHA-256; null when there is none with this id. */
  describedWithTrust(uploadId: string): DesktopImage | null {
    const image = this.image(uploadId);
    return image ? { ...image, trust: this.options.trustOf(image.sha256) } : null;
  }

  filePath(uploadId: string): string {
    return path.join(this.options.dir, uploadId);
  }

  /** Finished uploads by their size, unfinished ones by what they may still write, and those being created. */
  private heldBytes(): number {
    const held = heldUploads(this.options.dir);
    for (const upload of held) this.reserved.delete(upload.uploadId);
    return held.reduce((sum, upload) => sum + reservedBytes(upload, this.options.maxBytes), 0) + [...this.reserved.values()].reduce((a, b) => a + b, 0);
  }

  private removeStale(): void {
    for (const uploadId of removeStaleUploads(this.options.dir, this.options.staleAfterMs ?? STALE_UPLOAD_MS)) this.reserved.delete(uploadId);
  }

  private describedPath(uploadId: string): string {
    return path.join(this.options.dir, `${uploadId}.image.json`);
  }

  /** Finished images pile up otherwise: one upload replaces the previous ones. */
  private removeFinishedExcept(keep: string[]): void {
    for (const name of fs.readdirSync(this.options.dir)) {
      const uploadId = name.endsWith('.image.json') ? name.slice(0, -'.image.json'.length) : null;
      if (!uploadId || keep.includes(uploadId)) continue;
      for (const file of [uploadId, `${uploadId}.json`, name]) fs.rmSync(path.join(this.options.dir, file), { force: true });
    }
  }

  private async describe(uploadId: string, fileName: string): Promise<UploadedImage> {
    const file = this.filePath(uploadId);
    // The name reaches the syslog and the page: no control characters.
    const shown = path
      .basename(fileName)
      .replace(/[\u0000-\u001f\u007f]/g, '_')
      .slice(0, 255);
    const image: UploadedImage = { uploadId, fileName: shown, size: fs.statSync(file).size, sha256: await sha256OfFile(file) };
    fs.writeFileSync(this.describedPath(uploadId), JSON.stringify(image));
    return image;
  }
}
