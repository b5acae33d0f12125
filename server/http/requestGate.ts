import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthService } from '../auth/authService';
import { sessionIdFromCookie } from '../auth/cookies';
import { checkOrigin } from '../auth/originCheck';
import { accessFor, allows, changesState, isApi } from './accessPolicy';
import { BODY_TOO_LARGE, bodyCapApplies, declaresTooLargeBody } from './bodyLimit';
import { acceptForwarded, forwardedClientOf, NODE_HEADER, type ForwardProof } from './forwardProof';
import { foreignHostMessage, isAllowedHost, type AllowedHosts } from './hostCheck';
import { ACTOR_HEADER, SECURE_TRANSPORT_HEADER, SOURCE_HEADER, type RequestActor } from '../../lib/requestActor';
import { isSecureTransport } from './transport';
import type { AccessKind, AccessLimiter } from '../auth/sourceLimiter';
import { plainAddress } from '../../lib/netAddress';
import { refusalBody, sentence, type Sentence } from '../../lib/serverSentences';

/** The client's address: the socket's, or the one a valid proof of another console node names (forwardProof.ts). */
export function sourceAddressOf(req: IncomingMessage): string {
  return forwardedClientOf(req)?.address ?? plainAddress(req.socket.remoteAddress);
}

function answer(res: ServerResponse, status: number, error: string | Sentence, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(typeof error === 'string' ? { error } : refusalBody(error)));
}

/** Public endpoints that cost the server real work per call, and the per-source limit each one draws from. */
export const LIMITED_ENDPOINTS: readonly { method: string; path: string; kind: AccessKind }[] = [
  { method: 'POST', path: '/api/auth/login', kind: 'login' },
  { method: 'POST', path: '/api/image-download-profile/host-key', kind: 'hostKey' },
  // Basic credentials cost a password hash per scrape.
  { method: 'GET', path: '/metrics', kind: 'metrics' },
];

export interface RequestGateOptions {
  allowedHosts: AllowedHosts;
  /** The console's per-source limiter, shared with the SSH CLI: one budget per source, whichever way it comes in. */
  limiter: AccessLimiter;
  /** EWC_SECURE_COOKIE: a TLS proxy serves the plain HTTP port, so its requests carry the Secure cookie. */
  behindTlsProxy?: boolean;
  /** On a database other console nodes share: checks the proof of the requests they forward (null: none is trusted). */
  forwardProof?: ForwardProof | null;
  /** This node's name, said in every answer's `X-EWC-Node` when other nodes may forward to it. */
  nodeName?: string;
}

/**
 * The one door of the HTTP server: every request passes here before Next.js sees it. Unknown Host
 * names, oversized API bodies, floods of logins or host-key probes and cross-site writes are refused;
 * API calls without a session get 401, monitors get 403 on admin actions, and pages without a
 * session redirect to the login page. Route handlers check the session again (routeResponse.ts).
 */
export class RequestGate {
  private readonly limited = new Map(LIMITED_ENDPOINTS.map((e) => [`${e.method} ${e.path}`, e.kind]));

  constructor(
    private readonly auth: AuthService,
    private readonly options: RequestGateOptions,
  ) {}

  /**
   * Resolves true when the request may go on to Next.js; otherwise it has been answered. The session
   * lookup is the one wait; the body waits unread in the socket meanwhile.
   */
  async admit(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    delete req.headers[ACTOR_HEADER];
    // First: the Host check reads the forwarding proof, which the source address and the transport depend on.
    if (!this.checkHost(req, res)) return false;
    const source = sourceAddressOf(req);
    req.headers[SOURCE_HEADER] = source;
    const secure = isSecureTransport(req, this.options.behindTlsProxy ?? false);
    req.headers[SECURE_TRANSPORT_HEADER] = secure ? '1' : '0';
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://console.invalid');

    if (bodyCapApplies(url.pathname) && declaresTooLargeBody(req.headers['content-length'])) {
      // Closing the connection spares reading the rest of the body just to throw it away.
      answer(res, 413, BODY_TOO_LARGE, { connection: 'close' });
      return false;
    }
    if (changesState(method)) {
      const origin = checkOrigin({ method, headers: req.headers });
      if (!origin.ok) {
        answer(res, 403, `Cross-site request refused: ${origin.reason}`);
        return false;
      }
    }
    const user = await this.auth.sessionUser(sessionIdFromCookie(req.headers.cookie, secure));
    if (!allows(accessFor(method, url.pathname), user?.role ?? null)) {
      if (user) answer(res, 403, sentence('monitorReadOnly'));
      else if (isApi(url.pathname)) answer(res, 401, sentence('logInFirst'));
      else {
        res.writeHead(302, { location: `/login?next=${encodeURIComponent(url.pathname + url.search)}` });
        res.end();
      }
      return false;
    }
    if (!this.withinLimits(method, url.pathname, source, res)) return false;
    if (user) {
      const actor: RequestActor = { username: user.username, role: user.role, sourceAddress: source };
      req.headers[ACTOR_HEADER] = JSON.stringify(actor);
    }
    return true;
  }

  /**
   * The DNS-rebinding guard alone, for the doors that have their own rules after it (RESTCONF, the redirect to
   * HTTPS). A request another node forwarded with a valid proof passed that node's own Host check, under the
   * Host the proof's HMAC covers: the names and port this node answers to need not be the ones it was sent to.
   */
  checkHost(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.options.nodeName) res.setHeader(NODE_HEADER, this.options.nodeName);
    if (acceptForwarded(req, this.options.forwardProof ?? null)) return true;
    if (isAllowedHost(req.headers.host, req.socket.localPort, this.options.allowedHosts)) return true;
    answer(res, 400, foreignHostMessage(req.headers.host));
    return false;
  }

  private withinLimits(method: string, pathname: string, source: string, res: ServerResponse): boolean {
    const kind = this.limited.get(`${method} ${pathname}`);
    if (!kind) return true;
    const admission = this.options.limiter.admit(kind, source);
    if (!admission.ok) {
      answer(res, 429, admission.message, { 'retry-after': String(admission.retryAfterSeconds) });
      return false;
    }
    // Held until the answer is sent (or the client gives up), so slow answers count against the source's concurrency.
    res.once('close', admission.release);
    return true;
  }
}
