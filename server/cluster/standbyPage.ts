import { createHash } from 'node:crypto';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { formatDateTimeWithZone } from '../../lib/dateTime';
import { acceptForwarded, type ForwardProof } from '../http/forwardProof';
import { foreignHostMessage, isAllowedHost, type AllowedHosts } from '../http/hostCheck';
import { escapeXml } from '../restconf/restconfErrors';
import { isRestconfPath } from '../restconf/restconfPath';
import { answerWithHttps, type PlainHttpMode } from '../web/plainHttp';
import { LeaderForward } from './leaderForward';
import { listenOn } from './listenOn';
import type { StandbyStatus } from './nodeLeadership';

/**
 * What a standby node's web port answers: with a leader that answers, the leader's console, forwarded
 * (leaderForward.ts); otherwise (no leader yet, the leader gone, this node's own console starting) 503 with
 * `Retry-After`, the truth in one sentence (who leads, since when, where its console is, how soon this node
 * takes over), as JSON to the API and as a small page to a browser. The page becomes the console once a
 * node answers again (STANDBY_SCRIPT). No Next.js: a standby has no console to render itself.
 */
export function standbySentence(status: StandbyStatus): string {
  const { node, leader, takeoverWithinS } = status;
  if (status.starting) return `This console node (${node}) leads now: its console is starting, and this page becomes the console once it answers.`;
  if (!leader) return `This console node (${node}) is standing by: another node holds the leader lock. This node takes over within ${takeoverWithinS} s if it stops.`;
  if (status.leaderUnseenS !== null)
    return `This console node (${node}) is standing by: another node holds the leader lock; node ${leader.name}, the last to lead (its console at ${leader.webUrl}), was last seen ${status.leaderUnseenS} s ago. This node takes over once the lock is free.`;
  const since = leader.leadingSince ? `since ${formatDateTimeWithZone(leader.leadingSince, { timeZone: 'UTC' })}, ` : '';
  return `This console node (${node}) is standing by: node ${leader.name} leads (${since}its console at ${leader.webUrl}). This node takes over within ${takeoverWithinS} s if ${leader.name} stops.`;
}

/**
 * Answers one request to a standby's web port; a foreign Host is refused as the console refuses it (the
 * DNS-rebinding guard), unless another node forwarded the request with a valid proof (it checked the Host).
 */
export function answerStandby(req: IncomingMessage, res: ServerResponse, status: StandbyStatus, allowedHosts: AllowedHosts, proof: ForwardProof | null = null): void {
  // What the request carries is never read: a standby acts on nothing.
  req.resume();
  const headers = { 'cache-control': 'no-store', 'retry-after': String(status.retryAfterS) };
  if (!hostAnswered(req, allowedHosts, proof)) {
    res.writeHead(400, { ...headers, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: foreignHostMessage(req.headers.host) }));
    return;
  }
  const sentence = standbySentence(status);
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' || !wantsPage(path)) {
    res.writeHead(503, { ...headers, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: sentence }));
    return;
  }
  const role = status.starting ? 'starting' : 'standing by';
  res.writeHead(503, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src '${STANDBY_SCRIPT_HASH}'; connect-src 'self'`,
  });
  res.end(
    `<!doctype html>\n<html lang="en" data-retry-s="${status.retryAfterS}"><head><meta charset="utf-8"><noscript><meta http-equiv="refresh" content="${status.retryAfterS}"></noscript>` +
      `<title>Console node ${escapeXml(status.node)}: ${role}</title><style>body{font-family:sans-serif;margin:3em;max-width:48em}</style><script>${STANDBY_SCRIPT}</script></head>\n` +
      `<body><h1>Console node ${escapeXml(status.node)}: ${role}</h1><p>${escapeXml(sentence)}</p><p>This page asks again every ${status.retryAfterS} s and shows the console once a console node answers.</p></body></html>\n`,
  );
}

/**
 * Why a script rather than only a meta refresh: between the standby's port closing and the console listening
 * on it (the takeover's start-up, a second or more) a reload meets a refused connection, and the browser's
 * error page never reloads again: the tab an engineer left open would not become the console. The script
 * asks the same URL again after Retry-After and reloads only once something other than the standby answers;
 * while nothing answers it says so and keeps asking. Static, so that its hash can be the CSP's allowance.
 */
const STANDBY_SCRIPT = `(() => {
  const every = Number(document.documentElement.dataset.retryS) * 1000;
  const ask = () =>
    fetch(location.href, { cache: 'no-store' })
      .then((answer) => {
        if (answer.status !== 503) return location.reload();
        return answer.text().then((html) => {
          document.body.replaceWith(new DOMParser().parseFromString(html, 'text/html').body);
          setTimeout(ask, every);
        });
      })
      .catch(() => {
        const note = document.getElementById('no-answer') ?? document.body.appendChild(document.createElement('p'));
        note.id = 'no-answer';
        note.textContent = 'No answer from this console node at ' + new Date().toLocaleTimeString() + ' (its console may be starting, or the node stopped): asking again.';
        setTimeout(ask, every);
      });
  setTimeout(ask, every);
})();`;
const STANDBY_SCRIPT_HASH = `sha256-${createHash('sha256').update(STANDBY_SCRIPT).digest('base64')}`;

/** The API, socket.io, RESTCONF and metrics get JSON; anything else is a page a browser asked for. */
function wantsPage(path: string): boolean {
  return !['/api/', '/socket.io/', '/restconf', '/metrics', '/.well-known/'].some((prefix) => path.startsWith(prefix));
}

/** Where a standby sends a request: the leader's origin, unless there is none to reach, or the request already came through another node. */
function leaderOrigin(status: StandbyStatus, req: IncomingMessage): URL | null {
  if (status.starting || !status.leader?.webUrl || LeaderForward.alreadyForwarded(req)) return null;
  try {
    return new URL(new URL(status.leader.webUrl).origin);
  } catch {
    return null;
  }
}

/** A standby's web port: every request and WebSocket upgrade to the leader through `forward` (null: none, the 503 alone). */
export interface StandbyDoor {
  request(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Ends what goes on to the leader: this node leads now, or stops. */
  close(): void;
}

/** Whether this node answers to the request's Host: its own names, or a valid proof of the node that forwarded it. */
function hostAnswered(req: IncomingMessage, allowedHosts: AllowedHosts, proof: ForwardProof | null): boolean {
  return acceptForwarded(req, proof) !== null || isAllowedHost(req.headers.host, req.socket.localPort, allowedHosts);
}

/**
 * `forward`: how this node passes requests on (null where its plain port must not serve the console);
 * `proof`: to answer requests other nodes forward to it while it starts to lead (null on SQLite).
 */
export function standbyDoor(status: () => StandbyStatus, allowedHosts: AllowedHosts, forward: LeaderForward | null, proof: ForwardProof | null): StandbyDoor {
  return {
    request(req, res) {
      // Read before the Host check, which removes the proof header of a request that came through another node.
      const origin = leaderOrigin(status(), req);
      if (!origin || !forward || !hostAnswered(req, allowedHosts, proof)) answerStandby(req, res, status(), allowedHosts, proof);
      else forward.request(req, res, origin, () => answerStandby(req, res, status(), allowedHosts, proof));
    },
    upgrade(req, socket, head) {
      socket.on('error', () => socket.destroy());
      const refuse = (code: 400 | 503, error: string) => {
        const body = JSON.stringify({ error });
        const reason = code === 400 ? 'Bad Request' : 'Service Unavailable';
        socket.end(`HTTP/1.1 ${code} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      };
      const origin = leaderOrigin(status(), req);
      if (!hostAnswered(req, allowedHosts, proof)) refuse(400, foreignHostMessage(req.headers.host));
      else if (!origin || !forward) refuse(503, standbySentence(status()));
      else forward.upgrade(req, socket, head, origin, () => refuse(503, standbySentence(status())));
    },
    close() {
      forward?.close();
    },
  };
}

/** A standby's port until it leads: the port it got (for `PORT=0`) and how to close it again before the console listens there. */
export interface StandbyPort {
  port: number;
  close(): Promise<void>;
}

/**
 * A standby's plain port as the console's own plain port behaves for this HOST (plainHttp.ts): on a
 * loopback HOST the door, anywhere else (or with EWC_PLAIN_HTTP_REDIRECT) only the redirect to this node's
 * HTTPS port, after the same Host check; RESTCONF paths go to HTTPS in either mode. No WebSocket in redirect
 * mode, as the console has none there.
 */
export function plainStandbyDoor(door: StandbyDoor, mode: PlainHttpMode, httpsPort: () => number, status: () => StandbyStatus, allowedHosts: AllowedHosts, proof: ForwardProof | null): StandbyDoor {
  const redirects = (req: IncomingMessage) => mode === 'redirect' || isRestconfPath((req.url ?? '/').split('?')[0]);
  return {
    request(req, res) {
      if (!redirects(req)) door.request(req, res);
      else if (!hostAnswered(req, allowedHosts, proof)) answerStandby(req, res, status(), allowedHosts, proof);
      else answerWithHttps(req, res, httpsPort());
    },
    upgrade(req, socket, head) {
      if (mode === 'serve') door.upgrade(req, socket, head);
      else socket.destroy();
    },
    close: () => door.close(),
  };
}

/** Opens a standby's port on `server` (plain or HTTPS), every request and upgrade through `door`. */
export function listenStandby(server: HttpServer | HttpsServer, host: string, port: number, door: StandbyDoor): Promise<StandbyPort> {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => door.request(req, res));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => door.upgrade(req, socket, head));
  return listenOn(server, host, port).then((listening) => ({
    port: listening,
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        // Pages that reload keep their connections alive: they reconnect to the console a moment later.
        server.closeAllConnections();
        // And live pages' WebSockets to the leader end too, so they reconnect here, to this node's console.
        door.close();
      }),
  }));
}
