import { respondWithBody } from '@/server/http/routeResponse';

export function POST(request: Request) {
  return respondWithBody(request, ({ auth, sourceAddress, secure }, body) => auth.login(body, sourceAddress, secure));
}
