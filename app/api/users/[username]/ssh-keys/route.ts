import { installedApis } from '@/server/http/consoleAccess';
import { respond, respondWithBody } from '@/server/http/routeResponse';
import type { ApiResult } from '@/server/http/apiResult';

export const dynamic = 'force-dynamic';

const notInstalled: ApiResult = { status: 503, body: { error: 'SSH keys are not available on this console.' } };

export async function GET(request: Request, { params }: { params: Promise<{ username: string }> }) {
  const { username } = await params;
  return respond(request, () => installedApis()?.sshKeys?.list(username) ?? notInstalled);
}

export async function POST(request: Request, { params }: { params: Promise<{ username: string }> }) {
  const { username } = await params;
  return respondWithBody(request, ({ actor }, body) => installedApis()?.sshKeys?.add(username, body, actor) ?? notInstalled);
}
