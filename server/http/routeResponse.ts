import { sessionIdFromCookie } from '../auth/cookies';
import { accessFor, allows } from './accessPolicy';
import type { ApAuthorizationApi } from './apAuthorizationApi';
import type { AuthApi } from './authApi';
import { BODY_TOO_LARGE, readCappedBody } from './bodyLimit';
import type { CatalogApi } from './catalogApi';
import { installedApis } from './consoleAccess';
import type { ConsoleApi } from './consoleApi';
import type { ApiResult } from './apiResult';
import type { ImageTrustApi } from './imageTrustApi';
import type { LoggingApi } from './loggingApi';
import { refusalBody, sentence, type Sentence } from '../../lib/serverSentences';
import { SECURE_TRANSPORT_HEADER, SOURCE_HEADER, type RequestActor } from '../../lib/requestActor';

export interface RouteContext {
  api: ConsoleApi;
  auth: AuthApi;
  catalog: CatalogApi;
  imageTrust: ImageTrustApi;
  apAuthorization: ApAuthorizationApi;
  logging: LoggingApi;
  /** The caller, from their session; only public routes (login) run without one, as `anonymous`. */
  actor: RequestActor;
  sourceAddress: string;
  sessionId: string | null;
  /** The request came over TLS: the session cookie it sets is the Secure `__Host-` one. */
  secure: boolean;
}

type Call = (context: RouteContext) => ApiResult | Promise<ApiResult>;

function toResponse({ status, body, contentType, setCookie }: ApiResult): Response {
  const headers = new Headers({ 'cache-control': 'no-store' });
  if (setCookie) headers.set('set-cookie', setCookie);
  if (contentType === 'text/plain' || contentType === 'text/csv') {
    headers.set('content-type', `${contentType}; charset=utf-8`);
    return new Response(String(body), { status, headers });
  }
  return Response.json(body, { status, headers });
}

function refusal(status: number, error: string | Sentence): Response {
  return Response.json(typeof error === 'string' ? { error } : refusalBody(error), { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * Who may run this handler, decided again here from the session cookie and the same access rules as
 * the request gate: a request that reaches a handler some other way (Next.js fetching its own routes,
 * a future proxy path) gets no further without a session than it would at the gate.
 */
async function authorize(request: Request, apis: { auth: AuthApi }, sourceAddress: string, sessionId: string | null): Promise<RequestActor | Response> {
  const access = accessFor(request.method, new URL(request.url).pathname);
  const user = await apis.auth.sessionUser(sessionId);
  if (!allows(access, user?.role ?? null)) {
    return user ? refusal(403, sentence('monitorReadOnly')) : refusal(401, sentence('logInFirst'));
  }
  return user ? { ...user, sourceAddress } : { username: 'anonymous', role: 'monitor', sourceAddress };
}

/** Runs one API call for an authorized caller and turns its result, or an unexpected error, into a response without a stack trace. */
export async function respond(request: Request, call: Call): Promise<Response> {
  const apis = installedApis();
  if (!apis) return refusal(503, 'The console is starting; try again in a moment.');
  const sourceAddress = request.headers.get(SOURCE_HEADER) ?? 'unknown';
  const secure = request.headers.get(SECURE_TRANSPORT_HEADER) === '1';
  const sessionId = sessionIdFromCookie(request.headers.get('cookie'), secure);
  try {
    const actor = await authorize(request, apis, sourceAddress, sessionId);
    if (actor instanceof Response) return actor;
    return toResponse(
      await call({
        api: apis.console,
        auth: apis.auth,
        catalog: apis.catalog,
        imageTrust: apis.imageTrust,
        apAuthorization: apis.apAuthorization,
        logging: apis.logging,
        actor,
        sourceAddress,
        sessionId,
        secure,
      }),
    );
  } catch (error) {
    console.error('API error:', error instanceof Error ? error.message : error);
    return refusal(500, 'Internal error; see the console log.');
  }
}

/**
 * Reads the JSON body of an authorized caller, at most 64 KiB of it (413 beyond, counted as it streams
 * in); a body that is not JSON is a 400 with a message, never a 500. Resumable uploads under
 * /api/uploads/ stream their own bodies and do not come through here.
 */
export function respondWithBody(request: Request, call: (context: RouteContext, body: unknown) => ApiResult | Promise<ApiResult>): Promise<Response> {
  return respond(request, async (context) => {
    const capped = await readCappedBody(request);
    if (!capped.ok) return { status: 413, body: { error: BODY_TOO_LARGE } };
    let body: unknown;
    try {
      body = JSON.parse(capped.text);
    } catch {
      return { status: 400, body: { error: 'The request body must be JSON', issues: [] } };
    }
    return call(context, body);
  });
}
