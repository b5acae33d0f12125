import { expect } from 'vitest';
import { z } from 'zod';
import { request, TEST_ADMIN_PASSWORD, type HttpsConsole, type Reply } from './httpsConsole';

const errorsSchema = z.object({
  'ietf-restconf:errors': z
    .object({ error: z.array(z.object({ 'error-type': z.enum(['transport', 'rpc', 'protocol', 'application']), 'error-tag': z.string(), 'error-message': z.string() }).strict()).length(1) })
    .strict(),
});

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** A RESTCONF request over the console's HTTPS port, trusting its CA: as the admin unless `auth` says otherwise (null: none), JSON unless `accept` says otherwise. */
export function restconfRequest(c: HttpsConsole, target: string, options: { auth?: string | null; accept?: string; method?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/yang-data+json' };
  const auth = options.auth === undefined ? basic('admin', TEST_ADMIN_PASSWORD) : options.auth;
  if (auth) headers.authorization = auth;
  return request(`${c.httpsUrl}${target}`, { ca: c.caPem, headers, method: options.method });
}

/** The one error of an RFC 8040 error body, the body checked to be exactly that shape. */
export function errorOf(reply: Reply) {
  expect(reply.headers['content-type']).toBe('application/yang-data+json');
  return errorsSchema.parse(JSON.parse(reply.body))['ietf-restconf:errors'].error[0];
}
