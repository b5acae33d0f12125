// No node imports: used by the request gate (IncomingMessage headers) and by route handlers (web Request).

/** Every API body is a small JSON document; 64 KiB holds the largest (a profile with a 16 KiB private key) four times over. */
export const API_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Resumable uploads (tus protocol) stream large files and enforce their own size cap; the JSON body
 * cap does not apply under this prefix.
 */
export const UPLOADS_PATH_PREFIX = '/api/uploads/';

export const BODY_TOO_LARGE = `The request body is larger than ${API_BODY_LIMIT_BYTES / 1024} KiB; API requests are small JSON documents.`;

/** Whether the JSON body cap applies to this path. */
export function bodyCapApplies(pathname: string): boolean {
  return pathname.startsWith('/api/') && !pathname.startsWith(UPLOADS_PATH_PREFIX);
}

/** True when the request announces more than the cap in Content-Length (a chunked body is counted while read). */
export function declaresTooLargeBody(contentLength: string | null | undefined): boolean {
  if (contentLength === null || contentLength === undefined) return false;
  const length = Number(contentLength);
  return !Number.isFinite(length) || length > API_BODY_LIMIT_BYTES;
}

export type CappedBody = { ok: true; text: string } | { ok: false };

/**
 * Reads a body as it streams in and stops at the cap, so a 100 MB upload costs 64 KiB of memory
 * rather than 100 MB before anyone looks at it.
 */
export async function readCappedBody(request: Request, limit = API_BODY_LIMIT_BYTES): Promise<CappedBody> {
  if (declaresTooLargeBody(request.headers.get('content-length'))) return { ok: false };
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return { ok: false };
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, text: new TextDecoder().decode(joined) };
}
