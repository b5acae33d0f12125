import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatDateTimeWithZone } from '../../lib/dateTime';
import { foreignHostMessage, isAllowedHost, type AllowedHosts } from '../http/hostCheck';
import { escapeXml } from '../restconf/restconfErrors';
import type { StandbyStatus } from './nodeLeadership';

/**
 * What a standby node's web port answers, to every request: 503 with `Retry-After`, the truth in one
 * sentence (who leads, since when, where its console is, how soon this node takes over), as JSON to the
 * API and as a small page to a browser. The page becomes the console once this node leads (STANDBY_SCRIPT).
 * No Next.js: a standby has no console to render, and the sentence is all there is to say.
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

/** Answers one request to a standby's web port; a foreign Host is refused as the console refuses it (the DNS-rebinding guard). */
export function answerStandby(req: IncomingMessage, res: ServerResponse, status: StandbyStatus, allowedHosts: AllowedHosts): void {
  // What the request carries is never read: a standby acts on nothing.
  req.resume();
  const headers = { 'cache-control': 'no-store', 'retry-after': String(status.retryAfterS) };
  if (!isAllowedHost(req.headers.host, req.socket.localPort, allowedHosts)) {
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
      `<body><h1>Console node ${escapeXml(status.node)}: ${role}</h1><p>${escapeXml(sentence)}</p><p>This page asks again every ${status.retryAfterS} s and shows the console once this node leads.</p></body></html>\n`,
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

/** A standby's web port until it leads: the port it got (for `PORT=0`) and how to close it again before the console listens there. */
export function listenStandby(host: string, port: number, status: () => StandbyStatus, allowedHosts: AllowedHosts): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => answerStandby(req, res, status(), allowedHosts));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            // Pages that reload keep their connections alive: they reconnect to the console a moment later.
            server.closeAllConnections();
          }),
      });
    });
  });
}
