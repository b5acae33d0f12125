import { respondWithBody } from '@/server/http/routeResponse';

export async function PUT(request: Request, { params }: { params: Promise<{ username: string }> }) {
  const { username } = await params;
  return respondWithBody(request, ({ auth, actor, sessionId }, body) => auth.changePassword(username, body, actor, sessionId));
}
