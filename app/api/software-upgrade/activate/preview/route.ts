import { respondWithOptionalBody } from '@/server/http/optionalBody';

export function POST(request: Request) {
  return respondWithOptionalBody(request, ({ api }, body) => api.maintenance.previewActivation(body));
}
