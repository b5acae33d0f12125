import { z } from 'zod';
import { ROLES } from './validations/authSchemas';

// Read by server components (the page layout, through next/headers) and by the server: zod only, nothing from node.

export const requestActorSchema = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  sourceAddress: z.string(),
});

/** Who made a request, as the request gate resolved it from the session cookie. */
export type RequestActor = z.infer<typeof requestActorSchema>;

// The gate sets these headers on every request it lets through, after removing any copy the client sent,
// so pages (bundled apart by Next.js) learn the caller without a second session lookup.
export const ACTOR_HEADER = 'x-ewc-actor';
export const SOURCE_HEADER = 'x-ewc-source-address';
/** `1` when the request came over TLS (the HTTPS port, or a declared TLS proxy): route handlers then set and read the Secure cookie. */
export const SECURE_TRANSPORT_HEADER = 'x-ewc-secure-transport';

export function actorFromHeaders(headers: Headers): RequestActor | null {
  const raw = headers.get(ACTOR_HEADER);
  if (!raw) return null;
  try {
    const parsed = requestActorSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
