import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import { NON_HOMOGENEOUS_MESSAGE, UPLOADS_PATH, uploadedImageSchema, type UploadedImage } from '../../lib/httpModeSettings';
import { sha256OfFile } from '../imageSource/imageCache';

export interface DesktopUploadsOptions {
  dir: string;
  maxBytes: number;
  /** Desktop (HTTP) mode serves one image: uploads are refused while the APs run several image types. */
  homogeneous: () => boolean;
}

const UPLOAD_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Desktop (HTTP) mode's uploads, over the tus resumable-upload protocol (`@tus/server` with its
 * file store): a dropped connection resumes at the offset the server holds, a cancelled upload
 * is deleted, and a finished one is hashed once and described in `<id>.image.json`.
 */
export class DesktopUploads {
  private readonly tus: Server;

  constructor(private readonly options: DesktopUploadsOptions) {
    fs.mkdirSync(options.dir, { recursive: true });
    this.tus = new Server({
      path: UPLOADS_PATH,
      datastore: new FileStore({ directory: options.dir }),
      maxSize: options.maxBytes,
      // The console answers its own origin only; ids in Location stay relative to it.
      relativeLocation: true,
      onUploadCreate: async (_req, upload) => {
        if (!options.homogeneous()) throw { status_code: 409, body: NON_HOMOGENEOUS_MESSAGE };
        return { metadata: upload.metadata };
      },
      onUploadFinish: async (_req, upload) => {
        const image = await this.describe(upload.id, upload.metadata?.filename ?? upload.id);
        return { status_code: 204, headers: { 'upload-sha256': image.sha256 } };
      },
    });
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

  filePath(uploadId: string): string {
    return path.join(this.options.dir, uploadId);
  }

  private describedPath(uploadId: string): string {
    return path.join(this.options.dir, `${uploadId}.image.json`);
  }

  private async describe(uploadId: string, fileName: string): Promise<UploadedImage> {
    const file = this.filePath(uploadId);
    const image: UploadedImage = { uploadId, fileName: path.basename(fileName).slice(0, 255), size: fs.statSync(file).size, sha256: await sha256OfFile(file) };
    fs.writeFileSync(this.describedPath(uploadId), JSON.stringify(image));
    return image;
  }
}
