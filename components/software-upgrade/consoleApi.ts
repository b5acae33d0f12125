import { z } from 'zod';
import {
  HOST_KEY_FINGERPRINT,
  type FieldIssue,
  type HostKeyInfo,
  type ImageDownloadProfileInput,
  type ImageDownloadProfileView,
} from '@/lib/imageDownloadProfile';

export type ApiFailure = {
  ok: false;
  status: number;
  error: string;
  issues: FieldIssue[];
  /** Set when the server refused because it does not trust the image server's host key yet. */
  hostKey?: HostKeyInfo;
};

export type ApiResult<T> = { ok: true; status: number; data: T } | ApiFailure;

// Validates what the server sends; the fingerprint must be one the form can store, or trusting it would fail the next save.
const hostKeyInfoSchema = z.object({
  host: z.string().min(1),
  port: z.number().int(),
  fingerprint: z.string().regex(HOST_KEY_FINGERPRINT),
  keyType: z.string().min(1),
}) satisfies z.ZodType<HostKeyInfo>;

const errorBodySchema = z.object({
  error: z.string().min(1),
  // Malformed issues still leave the error message worth showing.
  issues: z.array(z.object({ path: z.string(), message: z.string() })).catch([]),
  hostKey: hostKeyInfoSchema.optional().catch(undefined),
});

const UNREACHABLE: ApiFailure = { ok: false, status: 0, error: 'The controller did not answer. Check the connection and try again.', issues: [] };

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A proxy or a crashed handler may answer with HTML or nothing; that must not become an exception. */
async function readText(response: Response): Promise<string> {
  return response.text().catch(() => '');
}

function failureOf(response: Response, data: unknown): ApiFailure {
  const parsed = errorBodySchema.safeParse(data);
  if (parsed.success) {
    const { error, issues, hostKey } = parsed.data;
    // Only a 409 is a host key challenge; anything else carrying one is an ordinary failure.
    return { ok: false, status: response.status, error, issues, ...(response.status === 409 && hostKey ? { hostKey } : {}) };
  }
  const reason = response.statusText ? ` ${response.statusText}` : '';
  return { ok: false, status: response.status, error: `Request failed: HTTP ${response.status}${reason}.`, issues: [] };
}

async function request(method: 'PUT' | 'POST', url: string, body: unknown): Promise<ApiResult<unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { method, cache: 'no-store', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    return UNREACHABLE;
  }
  const data = parseJson(await readText(response));
  return response.ok ? { ok: true, status: response.status, data } : failureOf(response, data);
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

/** Asks the controller to connect to the image server and report the host key it offers, without trusting it. */
export async function fetchHostKey(body: { imageServer: string; port: number }): Promise<ApiResult<HostKeyInfo>> {
  const result = await request('POST', '/api/image-download-profile/host-key', body);
  if (!result.ok) return result;
  const hostKey = hostKeyInfoSchema.safeParse(result.data);
  if (hostKey.success) return { ...result, data: hostKey.data };
  return { ok: false, status: result.status, error: 'The controller answered without a usable host key.', issues: [] };
}

/** The stored profile as EWC CLI lines, with the password encrypted for this console. */
export async function fetchConfigExport(): Promise<ApiResult<string>> {
  let response: Response;
  try {
    response = await fetch('/api/image-download-profile/export', { cache: 'no-store', headers: { accept: 'text/plain' } });
  } catch {
    return UNREACHABLE;
  }
  const text = await readText(response);
  return response.ok ? { ok: true, status: response.status, data: text } : failureOf(response, parseJson(text));
}
