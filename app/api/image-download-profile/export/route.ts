import { respond } from '@/server/http/routeResponse';

export const dynamic = 'force-dynamic';

export function GET() {
  return respond((api) => api.exportConfig());
}
