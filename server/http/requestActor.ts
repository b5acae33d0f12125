import type { Role } from '../../lib/validations/authSchemas';

/** Who made a request, as the request gate resolved it from the session cookie. */
export interface RequestActor {
  username: string;
  role: Role;
  sourceAddress: string;
}

// The gate sets these headers on every request it lets through, after removing any copy the client sent,
// so route handlers (bundled apart by Next.js) learn the caller without a second session lookup.
export const ACTOR_HEADER = 'x-ewc-actor';
export const SOURCE_HEADER = 'x-ewc-source-address';

export function actorFromHeaders(headers: Headers): RequestActor | null {
  const raw = headers.get(ACTOR_HEADER);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as RequestActor;
  } catch {
    return null;
  }
}
