import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthService } from '../auth/authService';
import { sessionIdFromCookie } from '../auth/cookies';
import { checkOrigin } from '../auth/originCheck';
import { accessFor, allows, changesState, isApi } from './accessPolicy';
import { ACTOR_HEADER, SOURCE_HEADER, type RequestActor } from './requestActor';

export function sourceAddressOf(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

function answer(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error }));
}

/**
 * The one door of the HTTP server: every request passes here before Next.js sees it.
 * Cross-site writes are refused, API calls without a session get 401, monitors get 403 on
 * admin actions, and pages without a session redirect to the login page.
 * Returns true when the request may go on to Next.js.
 */
export function gateRequest(req: IncomingMessage, res: ServerResponse, auth: AuthService): boolean {
  delete req.headers[ACTOR_HEADER];
  req.headers[SOURCE_HEADER] = sourceAddressOf(req);
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://console.invalid');
  const access = accessFor(method, url.pathname);

  if (changesState(method)) {
    const origin = checkOrigin({ method, headers: req.headers });
    if (!origin.ok) {
      answer(res, 403, `Cross-site request refused: ${origin.reason}`);
      return false;
    }
  }
  const user = auth.sessionUser(sessionIdFromCookie(req.headers.cookie));
  if (!allows(access, user?.role ?? null)) {
    if (user) answer(res, 403, 'Your role (monitor) can look but not change anything: ask an admin.');
    else if (isApi(url.pathname)) answer(res, 401, 'Log in first: this console needs a session.');
    else {
      res.writeHead(302, { location: `/login?next=${encodeURIComponent(url.pathname + url.search)}` });
      res.end();
    }
    return false;
  }
  if (user) {
    const actor: RequestActor = { username: user.username, role: user.role, sourceAddress: sourceAddressOf(req) };
    req.headers[ACTOR_HEADER] = JSON.stringify(actor);
  }
  return true;
}
