import { respondWithOptionalBody } from '@/server/http/optionalBody';

export function POST(request: Request) {
  return respondWithOptionalBody(request, ({ api, actor }, body) => api.activate(actor, body));
}
