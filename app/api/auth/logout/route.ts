import { respond } from '@/server/http/routeResponse';

export function POST(request: Request) {
  return respond(request, ({ auth, actor, sessionId, secure }) => auth.logout(sessionId, actor, secure));
}
