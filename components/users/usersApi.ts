import { z } from 'zod';
import { ROLES, type UserView } from '@/server/auth/authSchemas';

export interface FieldIssue {
  path: string;
  message: string;
}

export type ApiFailure = { ok: false; status: number; error: string; issues: FieldIssue[] };
export type ApiResult<T> = { ok: true; data: T } | ApiFailure;

const userViewSchema = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  passwordChangedAt: z.string(),
}) satisfies z.ZodType<UserView>;

// The action stays a plain string: a newer server may audit actions this page does not know, and they still belong in the trail.
const auditEntrySchema = z.object({
  id: z.number(),
  time: z.string(),
  username: z.string(),
  sourceAddress: z.string(),
  action: z.string(),
  detail: z.string(),
});
export type AuditEntryView = z.output<typeof auditEntrySchema>;

const usersBodySchema = z.object({ users: z.array(userViewSchema) });
const auditBodySchema = z.object({ entries: z.array(auditEntrySchema) });
const createdBodySchema = z.object({ user: userViewSchema });

const errorBodySchema = z.object({
  error: z.string().min(1),
  // Malformed issues still leave the error message worth showing.
  issues: z.array(z.object({ path: z.string(), message: z.string() })).catch([]),
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
  if (parsed.success) return { ok: false, status: response.status, ...parsed.data };
  const reason = response.statusText ? ` ${response.statusText}` : '';
  return { ok: false, status: response.status, error: `Request failed: HTTP ${response.status}${reason}.`, issues: [] };
}

/**
 * One JSON request. A plain same-origin fetch on purpose: the browser adds the Origin header
 * the server's cross-site check needs, and the session cookie goes along by default.
 */
async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, schema: z.ZodType<T>, body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      cache: 'no-store',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return UNREACHABLE;
  }
  // A proxy or a crashed handler may answer with HTML or nothing; that must not become an exception.
  const data = parseJson(await response.text().catch(() => ''));
  if (!response.ok) return failureOf(response, data);
  const parsed = schema.safeParse(data);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, status: response.status, error: 'The controller sent an answer this page does not understand.', issues: [] };
}

const anyBody = z.unknown();

function userPath(username: string): string {
  return `/api/users/${encodeURIComponent(username)}`;
}

export async function fetchUsers(): Promise<ApiResult<UserView[]>> {
  const result = await request('GET', '/api/users', usersBodySchema);
  return result.ok ? { ok: true, data: result.data.users } : result;
}

export async function createUser(body: { username: string; password: string; role: UserView['role'] }): Promise<ApiResult<UserView>> {
  const result = await request('POST', '/api/users', createdBodySchema, body);
  return result.ok ? { ok: true, data: result.data.user } : result;
}

export function removeUser(username: string): Promise<ApiResult<unknown>> {
  return request('DELETE', userPath(username), anyBody);
}

export function changePassword(username: string, password: string): Promise<ApiResult<unknown>> {
  return request('PUT', `${userPath(username)}/password`, anyBody, { password });
}

export async function fetchAudit(): Promise<ApiResult<AuditEntryView[]>> {
  const result = await request('GET', '/api/audit', auditBodySchema);
  return result.ok ? { ok: true, data: result.data.entries } : result;
}

export const AUDIT_EXPORT_URL = '/api/audit/export';
