import { headers } from 'next/headers';
import { actorFromHeaders, type RequestActor } from '@/lib/requestActor';

/** The logged-in user of this request, as the request gate resolved it; null on the login page. */
export async function currentActor(): Promise<RequestActor | null> {
  return actorFromHeaders(new Headers(await headers()));
}
