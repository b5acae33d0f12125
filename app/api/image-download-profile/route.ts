import { respond, respondWithBody } from '@/server/http/routeResponse';

export const dynamic = 'force-dynamic';

export function GET() {
  return respond((api) => api.getProfile());
}

export function PUT(request: Request) {
  return respondWithBody(request, (api, body) => api.saveProfile(body));
}
