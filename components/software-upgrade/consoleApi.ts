import { z } from 'zod';
import type { FieldIssue, ImageDownloadProfileInput, ImageDownloadProfileView } from '@/lib/imageDownloadProfile';

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: string; issues: FieldIssue[] };

const errorBodySchema = z.object({
  error: z.string().min(1),
  // Malformed issues still leave the error message worth showing.
  issues: z.array(z.object({ path: z.string(), message: z.string() })).catch([]),
});

/** A proxy or a crashed handler may answer with HTML or nothing; that must not become an exception. */
async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

async function request(method: 'PUT' | 'POST', url: string, body: unknown): Promise<ApiResult<unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { method, cache: 'no-store', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    return { ok: false, status: 0, error: 'The controller did not answer. Check the connection and try again.', issues: [] };
  }
  const data = await readBody(response);
  if (response.ok) return { ok: true, status: response.status, data };
  const parsed = errorBodySchema.safeParse(data);
  if (parsed.success) return { ok: false, status: response.status, error: parsed.data.error, issues: parsed.data.issues };
  const reason = response.statusText ? ` ${response.statusText}` : '';
  return { ok: false, status: response.status, error: `Request failed: HTTP ${response.status}${reason}.`, issues: [] };
}

function isProfileView(data: unknown): data is ImageDownloadProfileView {
  if (typeof data !== 'object' || data === null) return false;
  const view = data as Partial<ImageDownloadProfileView>;
  return typeof view.mode === 'string' && typeof view.imageServer === 'string' && typeof view.port === 'number' && typeof view.sftp === 'object';
}

/** Resolves to the stored profile view, or null if the answer was a success without one. */
export async function saveProfile(body: ImageDownloadProfileInput): Promise<ApiResult<ImageDownloadProfileView | null>> {
  const result = await request('PUT', '/api/image-download-profile', body);
  return result.ok ? { ...result, data: isProfileView(result.data) ? result.data : null } : result;
}

export function startDownload(body: ImageDownloadProfileInput): Promise<ApiResult<unknown>> {
  return request('POST', '/api/software-upgrade/download', body);
}

// An empty JSON object rather than no body, so a handler that parses its body does not trip over it.
export function activateUpgrade(): Promise<ApiResult<unknown>> {
  return request('POST', '/api/software-upgrade/activate', {});
}

export function cancelUpgrade(): Promise<ApiResult<unknown>> {
  return request('POST', '/api/software-upgrade/cancel', {});
}
