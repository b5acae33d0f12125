import { respond, respondWithBody } from '@/server/http/routeResponse';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return respond(request, ({ logging }) => logging.get());
}

export function PUT(request: Request) {
  return respondWithBody(request, ({ logging, actor }, body) => logging.save(body, actor));
}
