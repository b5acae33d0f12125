import { respondWithBody } from '@/server/http/routeResponse';

export function POST(request: Request) {
  return respondWithBody(request, ({ imageTrust, actor }, body) => imageTrust.approveBundle(body, actor));
}
