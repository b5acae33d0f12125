import { z } from 'zod';
import type { ImageDownloadProfileInput, ImageDownloadProfileView } from '@/lib/imageDownloadProfile';
import { hostKeyInfoSchema, requestJson, requestText, type ApiResult } from '@/components/api/jsonRequest';

export type { ApiFailure, ApiResult } from '@/components/api/jsonRequest';

const anyBody = z.unknown();

function request(method: 'PUT' | 'POST', url: string, body: unknown): Promise<ApiResult<unknown>> {
  return requestJson(method, url, anyBody, body);
}

function isProfileView(data: unknown): data is ImageDownloadProfileView {
  if (typeof data !== 'object' || data === null) return false;
  const view = data as Partial<ImageDownloadProfileView>;
  return typeof view.mode === 'string' && typeof view.tftp === 'object' && typeof view.sftp === 'object';
}

/** Resolves to the stored profile view, or null if the answer was a success without one. */
export async function saveProfile(body: ImageDownloadProfileInput): Promise<ApiResult<ImageDownloadProfileView | null>> {
  const result = await request('PUT', '/api/image-download-profile', body);
  return result.ok ? { ...result, data: isProfileView(result.data) ? result.data : null } : result;
}

/** The profile, plus optional predownload `targets` and a start time `at`. */
export function startDownload(body: ImageDownloadProfileInput & Record<string, unknown>): Promise<ApiResult<unknown>> {
  return request('POST', '/api/software-upgrade/download', body);
}

export function cancelUpgrade(): Promise<ApiResult<unknown>> {
  return request('POST', '/api/software-upgrade/cancel', {});
}

/** Asks the controller to connect to the image server and report the host key it offers, without trusting it. */
export function fetchHostKey(body: { imageServer: string; port: number }) {
  return requestJson('POST', '/api/image-download-profile/host-key', hostKeyInfoSchema, body);
}

/** The stored profile as EWC CLI lines, with the password encrypted for this console. */
export function fetchConfigExport(): Promise<ApiResult<string>> {
  return requestText('/api/image-download-profile/export');
}
