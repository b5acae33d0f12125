import type { ApiResult } from './apiResult';
import { respond, type RouteContext } from './routeResponse';

/**
 * Like `respondWithBody`, for a command whose body is optional: no body is `{}` (a bare
 * `POST /api/software-upgrade/activate` activates all at once, as before), text that is not JSON is a 400.
 */
export async function respondWithOptionalBody(request: Request, call: (context: RouteContext, body: unknown) => ApiResult | Promise<ApiResult>): Promise<Response> {
  const text = await request.text().catch(() => '');
  let body: unknown = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      return Response.json({ error: 'The request body must be JSON', issues: [] }, { status: 400 });
    }
  }
  return respond(request, (context) => call(context, body));
}
