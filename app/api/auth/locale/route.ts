import { installedApis } from '@/server/http/consoleAccess';
import { respondWithBody } from '@/server/http/routeResponse';

export function PUT(request: Request) {
  return respondWithBody(request, ({ actor }, body) => installedApis()?.accountLocale?.save(body, actor) ?? { status: 503, body: { error: 'The console is starting; try again in a moment.' } });
}
