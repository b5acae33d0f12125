import { requestVia } from '@/server/http/requestVia';
import { respondWithBody } from '@/server/http/routeResponse';

export function POST(request: Request) {
  return respondWithBody(request, ({ api, actor }, body) => api.startDownload(body, actor, requestVia(request.headers)));
}
