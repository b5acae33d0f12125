import { respond } from '@/server/http/routeResponse';

export function POST(request: Request) {
  return respond(request, ({ api, actor }) => api.maintenance.activation('resume', actor));
}
