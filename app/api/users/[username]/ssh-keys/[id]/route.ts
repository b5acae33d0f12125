import { installedApis } from '@/server/http/consoleAccess';
import { respond } from '@/server/http/routeResponse';

export async function DELETE(request: Request, { params }: { params: Promise<{ username: string; id: string }> }) {
  const { username, id } = await params;
  return respond(request, ({ actor }) => installedApis()?.sshKeys?.remove(username, id, actor) ?? { status: 503, body: { error: 'SSH keys are not available on this console.' } });
}
