import { respondWithBody } from '@/server/http/routeResponse';

export function POST(request: Request) {
  return respondWithBody(request, ({ apAuthorization, actor }, body) => apAuthorization.createToken(body, actor));
}
