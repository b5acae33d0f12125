import { respond } from '@/server/http/routeResponse';

export function POST(request: Request) {
  return respond(request, ({ api }) => api.resetDiagnostics());
}
