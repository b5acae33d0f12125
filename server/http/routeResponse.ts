import { consoleApi } from './consoleAccess';
import type { ApiResult, ConsoleApi } from './consoleApi';

/** Runs one API call and turns its result, or an unexpected error, into a response without a stack trace. */
export async function respond(call: (api: ConsoleApi) => ApiResult | Promise<ApiResult>): Promise<Response> {
  const api = consoleApi();
  if (!api) return Response.json({ error: 'The console is starting; try again in a moment.' }, { status: 503 });
  try {
    const { status, body, contentType } = await call(api);
    if (contentType === 'text/plain') return new Response(String(body), { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    return Response.json(body, { status });
  } catch (error) {
    console.error('API error:', error instanceof Error ? error.message : error);
    return Response.json({ error: 'Internal error; see the console log.' }, { status: 500 });
  }
}

/** Reads a JSON body; a body that is not JSON is a 400 with a message, never a 500. */
export async function respondWithBody(request: Request, call: (api: ConsoleApi, body: unknown) => ApiResult | Promise<ApiResult>): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ error: 'The request body must be JSON', issues: [] }, { status: 400 });
  }
  return respond((api) => call(api, body));
}
