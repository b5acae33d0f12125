import type { IncomingMessage } from 'node:http';
import type { Server as SocketServer, ServerOptions } from 'socket.io';
import type { AuthService } from '../auth/authService';
import { sessionIdFromCookie } from '../auth/cookies';
import { checkOrigin } from '../auth/originCheck';
import { hashSessionId } from '../auth/sessionStore';
import { acceptForwarded, type ForwardProof } from './forwardProof';
import { foreignHostMessage, isAllowedHost, type AllowedHosts } from './hostCheck';
import { isSecureTransport } from './transport';

/**
 * socket.io's handshake requests (long-polling and the WebSocket upgrade) go to engine.io, past the
 * request gate: they get the gate's Host check here, before engine.io hands out a session id. A
 * refused upgrade is answered 400 with the gate's message, a refused polling handshake 403. A handshake
 * another console node forwarded with a valid proof passed that node's Host check (as at the gate).
 */
export function browserHandshakeCheck(allowed: AllowedHosts, forwardProof: ForwardProof | null = null): NonNullable<ServerOptions['allowRequest']> {
  return (req: IncomingMessage, callback) => {
    const ok = acceptForwarded(req, forwardProof) !== null || isAllowedHost(req.headers.host, req.socket.localPort, allowed);
    callback(ok ? null : foreignHostMessage(req.headers.host), ok);
  };
}

/**
 * Browsers reach the live page only with a valid session, from the console's own origin;
 * when the session ends (logout, expiry, removal, password change) its sockets are dropped.
 * APs on `/capwap` carry no browser Origin and no cookie: they are not browser sessions.
 * Over HTTPS (or a declared TLS proxy) only the Secure `__Host-` session cookie counts, as at the gate.
 */
export function attachBrowserAuth(io: SocketServer, auth: AuthService, behindTlsProxy = false): () => void {
  const browsers = io.of('/');
  browsers.use((socket, next) => {
    const { headers } = socket.request;
    // A WebSocket handshake is a GET, which the CSRF check lets through; a page of another site must still not open one.
    const origin = checkOrigin({ method: 'POST', headers: { ...headers, origin: headers.origin ?? `http://${headers.host}` } });
    if (!origin.ok) return next(new Error('forbidden: cross-site connection refused'));
    const sessionId = sessionIdFromCookie(headers.cookie, isSecureTransport(socket.request, behindTlsProxy));
    auth.sessionUser(sessionId).then(
      (user) => {
        if (!sessionId || !user) return next(new Error('unauthorized: log in first'));
        socket.data.sessionHash = hashSessionId(sessionId);
        socket.data.user = user;
        next();
      },
      (error: Error) => next(new Error(`unavailable: ${error.message}`)),
    );
  });
  return auth.onSessionEnded(({ idHash }) => {
    for (const socket of browsers.sockets.values()) {
      if (socket.data.sessionHash === idHash) socket.disconnect(true);
    }
  });
}
