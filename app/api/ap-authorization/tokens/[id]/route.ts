import { respond } from '@/server/http/routeResponse';

export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return respond(request, ({ apAuthorization, actor }) => apAuthorization.deleteToken(id, actor));
}
