import { z } from 'zod';
import { requestJson, type ApiResult } from '@/components/api/jsonRequest';
import { sshKeyViewSchema, type SshKeyView } from '@/lib/sshKeys';

const keysBodySchema = z.object({ keys: z.array(sshKeyViewSchema) });
const addedBodySchema = z.object({ key: sshKeyViewSchema });

function keysPath(username: string): string {
  return `/api/users/${encodeURIComponent(username)}/ssh-keys`;
}

export async function fetchSshKeys(username: string): Promise<ApiResult<SshKeyView[]>> {
  const result = await requestJson('GET', keysPath(username), keysBodySchema);
  return result.ok ? { ...result, data: result.data.keys } : result;
}

export async function addSshKey(username: string, publicKey: string): Promise<ApiResult<SshKeyView>> {
  const result = await requestJson('POST', keysPath(username), addedBodySchema, { publicKey });
  return result.ok ? { ...result, data: result.data.key } : result;
}

export function removeSshKey(username: string, id: number): Promise<ApiResult<unknown>> {
  return requestJson('DELETE', `${keysPath(username)}/${id}`, z.unknown());
}
