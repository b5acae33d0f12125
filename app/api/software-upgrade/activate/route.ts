import { respond } from '@/server/http/routeResponse';

export function POST() {
  return respond((api) => api.activate());
}
