import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatDateTimeWithZone } from '../../lib/dateTime';
import { foreignHostMessage, isAllowedHost, type AllowedHosts } from '../http/hostCheck';
import { escapeXml } from '../restconf/restconfErrors';
import type { StandbyStatus } from './nodeLeadership';

/**
 * What a standby node's web port answers, to every request: 503 with `Retry-After`, the truth in one
 * sentence (who leads, since when, where its console is, how soon this node takes over), as JSON to the
 * API and as a small page to a browser. The page reloads itself, so it becomes the console once this node
 * leads. No Next.js: a standby has no console to render, and the sentence is all there is to say.
 */
export function standbySentence(status: StandbyStatus): string {
  const { node, leader, takeoverWithinS } = status;
  if (status.starting) return `This console node (${node}) leads now: its console is starting, and this page becomes the console once it answers.`;
  if (!leader) return `This console node (${node}) is standing by: another node holds the leader lock. This node takes over within ${takeoverWithinS} s if it stops.`;
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
  res.writeHead(503, { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
  res.end(
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${status.retryAfterS}"><title>Console node ${escapeXml(status.node)}: ${role}</title>` +
      `<style>body{font-family:sans-serif;margin:3em;max-width:48em}</style></head>\n` +
      `<body><h1>Console node ${escapeXml(status.node)}: ${role}</h1><p>${escapeXml(sentence)}</p><p>This page reloads every ${status.retryAfterS} s.</p></body></html>\n`,
  );
}

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
