import { respondWithBody } from '@/server/http/routeResponse';

export function POST(request: Request) {
  return respondWithBody(request, ({ api, actor }, body) => api.activate(actor, body));
}
