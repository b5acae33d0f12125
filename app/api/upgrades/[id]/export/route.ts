import { respond } from '@/server/http/routeResponse';

/** One upgrade as CSV: summary, waves, failure lines. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return respond(request, ({ api }) => api.maintenance.exportUpgrade(id));
}
