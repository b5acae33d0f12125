import { respond } from '@/server/http/routeResponse';

export const dynamic = 'force-dynamic';

export function GET(request: Request) {
  return respond(request, ({ catalog }) => catalog.last());
}

export function POST(request: Request) {
  return respond(request, ({ catalog }) => catalog.check());
}
