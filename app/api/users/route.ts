import { respond, respondWithBody } from '@/server/http/routeResponse';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return respond(request, ({ auth }) => auth.listUsers());
}

export function POST(request: Request) {
  return respondWithBody(request, ({ auth, actor }, body) => auth.createUser(body, actor));
}
