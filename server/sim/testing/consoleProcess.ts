import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../config';
import { NodeLeadership } from '../../cluster/nodeLeadership';
import { answerStandby } from '../../cluster/standbyPage';
import { createConsole, type ConsoleInstance } from '../../createConsole';
import { installGracefulStop } from '../../gracefulStop';
import type { ApiResult } from '../../http/apiResult';
import type { RequestActor } from '../../../lib/requestActor';
import { hostPort } from '../../../lib/netAddress';

/**
 * The console as its own process, without Next.js, for tests that kill it (restart fault injection, a
 * leader killed under a standby): createConsole on a bare HTTP server, configured by the same environment
 * as `npm run serve`, led or standing by as server/main.ts is (server/cluster/), stopped gracefully by
 * SIGTERM like it. Test-only control calls on loopback stand in for the pages: `POST /test/download` (the
 * profile as body), `POST /test/activate`, `GET /test/state` (with the bytes moved), `GET /test/upgrade` (what
 * `GET /api/software-upgrade` answers). `console listening` is printed once it leads.
 */
const ACTOR: RequestActor = { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1' };

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

const config = loadConfig();
const leadership = new NodeLeadership(config);
let instance: ConsoleInstance | null = null;
const httpServer = createServer((req, res) => {
  if (!instance) {
    answerStandby(req, res, leadership.status, { configured: config.allowedHosts, listenHost: config.host });
    return;
  }
  const { api } = instance;
  const answer = ({ status, body }: ApiResult) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const route = `${req.method} ${req.url}`;
  if (route === 'GET /test/state') {
    answer({ status: 200, body: { upgrade: api.getUpgrade().body, apImage: api.getApImage().body, syslog: api.getSyslog().body, moved: instance.moved } });
  } else if (route === 'GET /test/upgrade') {
    answer(api.getUpgrade());
  } else if (route === 'POST /test/download') {
    void bodyOf(req)
      .then((body) => api.startDownload(body, ACTOR))
      .then(answer);
  } else if (route === 'POST /test/activate') {
    void api.activate(ACTOR).then(answer);
  } else if (!req.url?.startsWith('/socket.io')) {
    answer({ status: 404, body: { error: 'not found' } });
  }
});
const listening = () => new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
const webUrl = () => `http://${hostPort(config.host, (httpServer.address() as AddressInfo).port)}`;
// On PostgreSQL the web port answers at once: 503 while this node stands by.
if (leadership.shared) {
  await listening();
  await leadership.join(webUrl());
}
const leading = await leadership.lead((node) => console.log(node.describeStandby()));
leadership.exitOnLoss();
if (leading.takenOverFrom) console.log(`node ${leadership.name}: takes over from node ${leading.takenOverFrom}`);
const started = await createConsole(httpServer, config, { takeover: leading.takenOverFrom ? { node: leadership.name } : null });
instance = started;
// The AP port first, so that "console listening" means APs can join too.
const capwapPort = await started.capwap.listen(config.capwapPort, config.host);
if (!httpServer.listening) await listening();
await leadership.listening({ webUrl: webUrl(), apUrl: `https://${hostPort(config.host, capwapPort)}` });
console.log(`console listening on ${webUrl()}`);
installGracefulStop(async (reason) => {
  await started.close(reason);
  await leadership.stop();
});
