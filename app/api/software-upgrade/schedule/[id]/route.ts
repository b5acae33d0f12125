import { respond, respondWithBody } from '@/server/http/routeResponse';

type Params = { params: Promise<{ id: string }> };

/** Moves a scheduled action to another time (and window end) before it starts. */
export async function PUT(request: Request, { params }: Params) {
  const { id } = await params;
  return respondWithBody(request, ({ api, actor }, body) => api.maintenance.changeSchedule(id, body, actor));
}

export async function DELETE(request: Request, { params }: Params) {
  const { id } = await params;
  return respond(request, ({ api, actor }) => api.maintenance.cancelSchedule(id, actor));
}
