import { z } from 'zod';
import { requestJson, type ApiResult } from '@/components/api/jsonRequest';
import { ROLES, type UserView } from '@/lib/validations/authSchemas';

export type { ApiFailure, ApiResult } from '@/components/api/jsonRequest';
export type { FieldIssue } from '@/lib/imageDownloadProfile';

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

const anyBody = z.unknown();

function userPath(username: string): string {
  return `/api/users/${encodeURIComponent(username)}`;
}

export async function fetchUsers(): Promise<ApiResult<UserView[]>> {
  const result = await requestJson('GET', '/api/users', usersBodySchema);
  return result.ok ? { ...result, data: result.data.users } : result;
}

export async function createUser(body: { username: string; password: string; role: UserView['role'] }): Promise<ApiResult<UserView>> {
  const result = await requestJson('POST', '/api/users', createdBodySchema, body);
  return result.ok ? { ...result, data: result.data.user } : result;
}

export function removeUser(username: string): Promise<ApiResult<unknown>> {
  return requestJson('DELETE', userPath(username), anyBody);
}

/** `currentPassword` is what the server asks for when the account is the caller's own. */
export function changePassword(username: string, password: string, currentPassword?: string): Promise<ApiResult<unknown>> {
  return requestJson('PUT', `${userPath(username)}/password`, anyBody, currentPassword === undefined ? { password } : { password, currentPassword });
}

export async function fetchAudit(): Promise<ApiResult<AuditEntryView[]>> {
  const result = await requestJson('GET', '/api/audit', auditBodySchema);
  return result.ok ? { ...result, data: result.data.entries } : result;
}

export const AUDIT_EXPORT_URL = '/api/audit/export';
