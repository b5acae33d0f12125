import { respond } from '@/server/http/routeResponse';

export async function POST(request: Request, { params }: { params: Promise<{ mac: string }> }) {
  const { mac } = await params;
  return respond(request, ({ api, actor }) => api.maintenance.apAction(mac, 'abort', actor));
}
