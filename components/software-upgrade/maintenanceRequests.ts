import { z } from 'zod';
import { requestJson, type ApiResult } from '@/components/api/jsonRequest';
import type { ActivateRequest } from '@/lib/rollout';
import { activationPreviewSchema, cancelPreviewSchema, type ActivationPreview, type CancelPreview } from '@/lib/actionPreview';

const anyBody = z.unknown();

/** Activate now or at a time, all at once or rolling. */
export function activateWith(body: Partial<ActivateRequest>): Promise<ApiResult<unknown>> {
  return requestJson('POST', '/api/software-upgrade/activate', anyBody, body);
}

/** What Activate with these options would reload now, for the confirmation; changes nothing. */
export function previewActivation(body: Partial<ActivateRequest>): Promise<ApiResult<ActivationPreview>> {
  return requestJson('POST', '/api/software-upgrade/activate/preview', activationPreviewSchema, body);
}

/** What Cancel would stop now, for the confirmation; changes nothing. */
export function previewCancel(): Promise<ApiResult<CancelPreview>> {
  return requestJson('GET', '/api/software-upgrade/cancel/preview', cancelPreviewSchema);
}

export function rolloutCommand(action: 'pause' | 'resume' | 'abort'): Promise<ApiResult<unknown>> {
  return requestJson('POST', `/api/software-upgrade/${action}`, anyBody, {});
}

export function cancelScheduled(id: number): Promise<ApiResult<unknown>> {
  return requestJson('DELETE', `/api/software-upgrade/schedule/${id}`, anyBody);
}

export type ApAction = 'retry' | 'abort' | 'exclude' | 'include';

/** Retry now, Abort, Exclude from activation (and back) for one AP. */
export function apAction(mac: string, action: ApAction): Promise<ApiResult<unknown>> {
  const path = action === 'include' ? 'exclude' : action;
  return requestJson(action === 'include' ? 'DELETE' : 'POST', `/api/ap-image/${encodeURIComponent(mac)}/${path}`, anyBody, action === 'include' ? undefined : {});
}
