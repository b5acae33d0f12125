import { respond } from '@/server/http/routeResponse';

type Params = { params: Promise<{ mac: string }> };

/** POST keeps the AP out of the activation; DELETE lets it back in. */
export async function POST(request: Request, { params }: Params) {
  const { mac } = await params;
  return respond(request, ({ api, actor }) => api.maintenance.apAction(mac, 'exclude', actor));
}

export async function DELETE(request: Request, { params }: Params) {
  const { mac } = await params;
  return respond(request, ({ api, actor }) => api.maintenance.apAction(mac, 'include', actor));
}
