import { respondWithBody } from '@/server/http/routeResponse';

export function POST(request: Request) {
  return respondWithBody(request, ({ api }, body) => api.hostKey(body));
}
