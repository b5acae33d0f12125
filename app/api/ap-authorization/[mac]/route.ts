import { respond, respondWithBody } from '@/server/http/routeResponse';

export async function PUT(request: Request, { params }: { params: Promise<{ mac: string }> }) {
  const { mac } = await params;
  return respondWithBody(request, ({ apAuthorization, actor }, body) => apAuthorization.change(mac, body, actor));
}

export async function DELETE(request: Request, { params }: { params: Promise<{ mac: string }> }) {
  const { mac } = await params;
  return respond(request, ({ apAuthorization, actor }) => apAuthorization.remove(mac, actor));
}
