import { z } from 'zod';
import { requestJson, type ApiResult } from '@/components/api/jsonRequest';
import { LOGGING_LINK_STATES, loggingSettingsSchema, type LoggingSettings, type LoggingView } from '@/lib/loggingSettings';

export type { ApiResult } from '@/components/api/jsonRequest';

// What the controller answers is read through a schema too: the settings with the same one as a save.
const viewSchema = z.object({
  settings: loggingSettingsSchema,
  trapLinesLogged: z.number(),
  queueLines: z.number(),
  hosts: z.array(
    z.object({
      address: z.string(),
      transport: z.enum(['udp', 'tcp']),
      port: z.number(),
      link: z.enum(LOGGING_LINK_STATES),
      linesSent: z.number(),
      queued: z.number(),
      linesDropped: z.number(),
      lastError: z.string().nullable(),
    }),
  ),
}) satisfies z.ZodType<LoggingView, unknown>;

export function fetchLogging(): Promise<ApiResult<LoggingView>> {
  return requestJson('GET', '/api/logging', viewSchema);
}

export function saveLogging(settings: LoggingSettings): Promise<ApiResult<LoggingView>> {
  return requestJson('PUT', '/api/logging', viewSchema, settings);
}
