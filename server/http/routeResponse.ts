import { sessionIdFromCookie } from '../auth/cookies';
import type { ApAuthorizationApi } from './apAuthorizationApi';
import type { AuthApi } from './authApi';
import { installedApis } from './consoleAccess';
import type { ApiResult, ConsoleApi } from './consoleApi';
import { SOURCE_HEADER, actorFromHeaders, type RequestActor } from './requestActor';

export interface RouteContext {
  api: ConsoleApi;
  auth: AuthApi;
  apAuthorization: ApAuthorizationApi;
  /** The caller; the request gate lets only public routes through without one. */
  actor: RequestActor;
  sourceAddress: string;
  sessionId: string | null;
}

type Call = (context: RouteContext) => ApiResult | Promise<ApiResult>;

function toResponse({ status, body, contentType, setCookie }: ApiResult): Response {
  const headers = new Headers({ 'cache-control': 'no-store' });
  if (setCookie) headers.set('set-cookie', setCookie);
  if (contentType === 'text/plain') {
    headers.set('content-type', 'text/plain; charset=utf-8');
    return new Response(String(body), { status, headers });
  }
  return Response.json(body, { status, headers });
}

/** Runs one API call and turns its result, or an unexpected error, into a response without a stack trace. */
export async function respond(request: Request, call: Call): Promise<Response> {
  const apis = installedApis();
  if (!apis) return Response.json({ error: 'The console is starting; try again in a moment.' }, { status: 503 });
  const sourceAddress = request.headers.get(SOURCE_HEADER) ?? 'unknown';
  const actor = actorFromHeaders(request.headers) ?? { username: 'anonymous', role: 'monitor', sourceAddress };
  try {
    return toResponse(await call({ api: apis.console, auth: apis.auth, apAuthorization: apis.apAuthorization, actor, sourceAddress, sessionId: sessionIdFromCookie(request.headers.get('cookie')) }));
  } catch (error) {
    console.error('API error:', error instanceof Error ? error.message : error);
    return Response.json({ error: 'Internal error; see the console log.' }, { status: 500 });
  }
}

/** Reads a JSON body first; a body that is not JSON is a 400 with a message, never a 500. */
export async function respondWithBody(request: Request, call: (context: RouteContext, body: unknown) => ApiResult | Promise<ApiResult>): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: 'The request body must be JSON', issues: [] }, { status: 400 });
  }
  return respond(request, (context) => call(context, body));
}
