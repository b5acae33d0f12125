import { respond } from '@/server/http/routeResponse';

export const dynamic = 'force-dynamic';

/** The history as CSV, one upgrade per line. */
export function GET(request: Request) {
  return respond(request, ({ api }) => api.maintenance.exportUpgrades());
}
