import { respond, respondWithBody } from '@/server/http/routeResponse';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return respond(request, ({ api }) => api.getProfile());
}

export function PUT(request: Request) {
  return respondWithBody(request, ({ api, actor }, body) => api.saveProfile(body, actor));
}
