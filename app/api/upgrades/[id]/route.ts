import { respond } from '@/server/http/routeResponse';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return respond(request, ({ api }) => api.maintenance.getUpgrade(id));
}
