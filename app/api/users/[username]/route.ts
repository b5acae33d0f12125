import { respond } from '@/server/http/routeResponse';

export async function DELETE(request: Request, { params }: { params: Promise<{ username: string }> }) {
  const { username } = await params;
  return respond(request, ({ auth, actor }) => auth.removeUser(username, actor));
}
