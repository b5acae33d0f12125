import { respond } from '@/server/http/routeResponse';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return respond(request, ({ api }) => api.maintenance.previewCancel());
}
