import { z } from 'zod';
import { backupReplacementSchema, type BackupReplacement } from '@/lib/backupReplacement';
import { HOST_KEY_FINGERPRINT, type FieldIssue, type HostKeyInfo } from '@/lib/imageDownloadProfile';

export type ApiFailure = {
  ok: false;
  /** 0 when the controller did not answer at all. */
  status: number;
  error: string;
  issues: FieldIssue[];
  /** The refusal's stable code, when the API gives one beside `error`: the page may say it in its language. */
  code?: string;
  /** The code's parameters (the MAC, the user name…), when it has some. */
  params?: Record<string, string | number>;
  /** Set when the server refused because it does not trust the image server's host key yet (a 409). */
  hostKey?: HostKeyInfo;
  /** Set when a Save & Download would replace backup images with the running version and needs the admin's confirmation (a 409). */
  backupReplacement?: BackupReplacement;
};

export type ApiResult<T> = { ok: true; status: number; data: T } | ApiFailure;

// Validates what the server sends; the fingerprint must be one the form can store, or trusting it would fail the next save.
export const hostKeyInfoSchema = z.object({
  host: z.string().min(1),
  port: z.number().int(),
  fingerprint: z.string().regex(HOST_KEY_FINGERPRINT),
  keyType: z.string().min(1),
}) satisfies z.ZodType<HostKeyInfo>;

const errorBodySchema = z.object({
  error: z.string().min(1),
  code: z.string().min(1).max(64).optional().catch(undefined),
  params: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .optional()
    .catch(undefined),
  // Malformed issues still leave the error message worth showing.
  issues: z.array(z.object({ path: z.string(), message: z.string() })).catch([]),
  hostKey: hostKeyInfoSchema.optional().catch(undefined),
  backupReplacement: backupReplacementSchema.optional().catch(undefined),
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

function failureOf(response: Response, data: unknown): ApiFailure {
  const parsed = errorBodySchema.safeParse(data);
  if (parsed.success) {
    const { error, code, params, issues, hostKey, backupReplacement } = parsed.data;
    // Only a 409 is a host key challenge or a confirmation asked for; anything else carrying one is an ordinary failure.
    const question = response.status === 409 ? { ...(hostKey ? { hostKey } : {}), ...(backupReplacement ? { backupReplacement } : {}) } : {};
    return { ok: false, status: response.status, error, issues, ...(code ? { code } : {}), ...(code && params ? { params } : {}), ...question };
  }
  const reason = response.statusText ? ` ${response.statusText}` : '';
  return { ok: false, status: response.status, error: `Request failed: HTTP ${response.status}${reason}.`, issues: [] };
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One request to the console's API. A plain same-origin fetch on purpose: the browser adds the Origin
 * header the server's cross-site check needs, and the session cookie goes along by default. A proxy or a
 * crashed handler may answer with HTML or nothing; that becomes a failure with a message, never an exception.
 */
async function send(method: Method, url: string, body: unknown, accept: string): Promise<Response | ApiFailure> {
  try {
    return await fetch(url, {
      method,
      cache: 'no-store',
      headers: body === undefined ? { accept } : { accept, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return UNREACHABLE;
  }
}

export async function requestJson<T>(method: Method, url: string, schema: z.ZodType<T>, body?: unknown): Promise<ApiResult<T>> {
  const response = await send(method, url, body, 'application/json');
  if (!(response instanceof Response)) return response;
  const data = parseJson(await response.text().catch(() => ''));
  if (!response.ok) return failureOf(response, data);
  const parsed = schema.safeParse(data);
  return parsed.success
    ? { ok: true, status: response.status, data: parsed.data }
    : { ok: false, status: response.status, error: 'The controller sent an answer this page does not understand.', issues: [] };
}

export async function requestText(url: string): Promise<ApiResult<string>> {
  const response = await send('GET', url, undefined, 'text/plain');
  if (!(response instanceof Response)) return response;
  const text = await response.text().catch(() => '');
  return response.ok ? { ok: true, status: response.status, data: text } : failureOf(response, parseJson(text));
}
