import { z } from 'zod';
import { requestJson, type ApiResult } from '@/components/api/jsonRequest';
import { apAuthorizationViewSchema, enrolmentTokenViewSchema, type ApAuthorizationView, type EnrolmentTokenView } from '@/lib/apAuthorization';

export type { ApiResult } from '@/components/api/jsonRequest';

const listSchema = z.object({ aps: z.array(apAuthorizationViewSchema), tokens: z.array(enrolmentTokenViewSchema) });
const createdTokenSchema = z.object({ token: z.string(), enrolmentToken: enrolmentTokenViewSchema });
const anyBody = z.unknown();

export interface ApAuthorizationList {
  aps: ApAuthorizationView[];
  tokens: EnrolmentTokenView[];
}

export function fetchApAuthorization(): Promise<ApiResult<ApAuthorizationList>> {
  return requestJson('GET', '/api/ap-authorization', listSchema);
}

export function setApStatus(mac: string, status: 'approved' | 'revoked'): Promise<ApiResult<unknown>> {
  return requestJson('PUT', `/api/ap-authorization/${encodeURIComponent(mac)}`, anyBody, { status });
}

export function deleteAp(mac: string): Promise<ApiResult<unknown>> {
  return requestJson('DELETE', `/api/ap-authorization/${encodeURIComponent(mac)}`, anyBody);
}

export function createEnrolmentToken(body: { mac: string; validHours: string }): Promise<ApiResult<z.output<typeof createdTokenSchema>>> {
  return requestJson('POST', '/api/ap-authorization/tokens', createdTokenSchema, body);
}

export function deleteEnrolmentToken(id: number): Promise<ApiResult<unknown>> {
  return requestJson('DELETE', `/api/ap-authorization/tokens/${id}`, anyBody);
}
