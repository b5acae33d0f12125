import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { loadConfig } from '../../config';
import { cliUrlOf, forwardCliToLeader } from '../../cluster/cliForward';
import { leaderForwardFor } from '../../cluster/leaderForward';
import { NodeLeadership } from '../../cluster/nodeLeadership';
import { listenStandbyHttps } from '../../cluster/standbyHttps';
import { plainStandbyDoor, standbyDoor } from '../../cluster/standbyPage';
import { createConsole, type ConsoleInstance } from '../../createConsole';
import { installGracefulStop } from '../../gracefulStop';
import type { ApiResult } from '../../http/apiResult';
import { forwardProofFor } from '../../http/forwardProof';
import { RequestGate } from '../../http/requestGate';
import { HttpsIdentity, identitySourceFor } from '../../web/httpsIdentity';
import { answerWithHttps, plainHttpModeFor } from '../../web/plainHttp';
import { SECURE_TRANSPORT_HEADER, SOURCE_HEADER, type RequestActor } from '../../../lib/requestActor';
import { hostPort } from '../../../lib/netAddress';

/**
 * The console as its own process, without Next.js, for tests that kill it (restart fault injection, a
 * leader killed under a standby): createConsole on a bare HTTP server, configured by the same environment
 * as `npm run serve`, led or standing by as server/main.ts is (server/cluster/), stopped gracefully by
 * SIGTERM like it. Test-only control calls on loopback stand in for the pages: `POST /test/download` (the
 * profile as body), `POST /test/activate`, `GET /test/state` (with the bytes moved), `GET /test/upgrade` (what
 * `GET /api/software-upgrade` answers), `GET /test/audit` (the audit trail). Behind the real request gate, as
 * the pages' API: `POST /api/auth/login`, `GET /api/software-upgrade`. Standing by, its
 * web ports and the CLI port forward to the leader as server/main.ts's do. With EWC_HTTPS_PORT set it has an HTTPS port too (a
 * standby's, then the console's), and with EWC_PLAIN_HTTP_REDIRECT its plain port only redirects there. `console listening` is printed once it leads.
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
const allowedHosts = { configured: config.allowedHosts, listenHost: config.host };
const proof = forwardProofFor(config);
const door = standbyDoor(() => leadership.status, allowedHosts, leaderForwardFor(config, leadership.name), proof);
const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => plainDoor.upgrade(req, socket, head);
let instance: ConsoleInstance | null = null;
let gate: RequestGate | null = null;

/** The pages' API calls the tests make, each behind the gate as in server/main.ts (where Next.js's route handlers answer them). */
async function answerApi(running: ConsoleInstance, req: IncomingMessage, res: ServerResponse, answer: (result: ApiResult) => void): Promise<void> {
  if (!(await gate!.admit(req, res))) return;
  const route = `${req.method} ${req.url}`;
  if (route === 'POST /api/auth/login') {
    answer(await running.authApi.login(await bodyOf(req), String(req.headers[SOURCE_HEADER]), req.headers[SECURE_TRANSPORT_HEADER] === '1'));
  } else if (route === 'GET /api/software-upgrade') {
    answer(running.api.getUpgrade());
  } else {
    answer({ status: 404, body: { error: 'not found' } });
  }
}

// HTTPS only when a test asks for it (EWC_HTTPS_PORT set): other tests and the bench run several of these processes, and the default port is fixed.
const withHttps = process.env.EWC_HTTPS_PORT !== undefined;
const plainMode = plainHttpModeFor(config.host, config.plainHttpRedirect);
let standbyHttps: Awaited<ReturnType<typeof listenStandbyHttps>> | null = null;
const httpsPort = () => (httpsServer?.listening ? (httpsServer.address() as AddressInfo).port : (standbyHttps?.port ?? config.https.port));
const plainDoor = plainStandbyDoor(door, plainMode, httpsPort, () => leadership.status, allowedHosts, proof);

function handle(req: IncomingMessage, res: ServerResponse, instance: ConsoleInstance): void {
  const { api } = instance;
  const answer = ({ status, body, setCookie }: ApiResult) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(setCookie ? { 'set-cookie': setCookie } : {}) });
    res.end(JSON.stringify(body));
  };
  const route = `${req.method} ${req.url}`;
  if (req.url?.startsWith('/api/')) {
    void answerApi(instance, req, res, answer);
  } else if (route === 'GET /test/audit') {
    void instance.auth.audit.recent().then((entries) => answer({ status: 200, body: entries }));
  } else if (route === 'GET /test/state') {
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
}

const httpServer = createServer((req, res) => {
  if (!instance) plainDoor.request(req, res);
  // As the console's plain port (server/web/webServers.ts): on a loopback HOST the console, else only the way to HTTPS.
  else if (plainMode === 'redirect') {
    if (gate!.checkHost(req, res)) answerWithHttps(req, res, httpsPort());
  } else handle(req, res, instance);
});
const httpsServer = withHttps
  ? createHttpsServer({ minVersion: 'TLSv1.2' }, (req, res) => {
      if (instance) handle(req, res, instance);
    })
  : null;
const listening = () => new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
const plainUrl = () => `http://${hostPort(config.host, (httpServer.address() as AddressInfo).port)}`;
// What server/main.ts writes as the console's web_url: the HTTPS port where the plain one only redirects.
const webUrl = () => (plainMode === 'redirect' && httpsServer ? `https://${hostPort(config.host, httpsPort())}` : plainUrl());
// On PostgreSQL the web ports answer at once: forwarded to the leader while this node stands by.
let cliForward: { close(): Promise<void> } | null = null;
if (leadership.shared) {
  httpServer.on('upgrade', onUpgrade);
  await listening();
  await leadership.join(plainUrl());
  if (withHttps) standbyHttps = await listenStandbyHttps(config, leadership.sharedTrust!, door, (line) => console.log(line));
  cliForward = await forwardCliToLeader(config, leadership);
}
const leading = await leadership.lead((node) => console.log(node.describeStandby()));
await cliForward?.close();
leadership.exitOnLoss();
if (leading.takenOverFrom) console.log(`node ${leadership.name}: takes over from node ${leading.takenOverFrom}`);
// socket.io answers upgrades on this server from here on; until it is attached, a live page's reconnection waits.
httpServer.off('upgrade', onUpgrade);
plainDoor.close();
const started = await createConsole(httpsServer ? (plainMode === 'serve' ? [httpsServer, httpServer] : [httpsServer]) : httpServer, config, {
  takeover: leading.takenOverFrom ? { node: leadership.name } : null,
});
gate = new RequestGate(started.auth, { allowedHosts, limiter: started.limiter, behindTlsProxy: config.secureCookie, forwardProof: proof, nodeName: leadership.name });
instance = started;
// The AP port first, so that "console listening" means APs can join too.
const capwapPort = await started.capwap.listen(config.capwapPort, config.host);
if (!httpServer.listening) await listening();
if (httpsServer) {
  await HttpsIdentity.start(httpsServer, identitySourceFor(config, started.trust), { log: (line) => console.log(line) });
  // The standby's HTTPS port answers its 503 until here, as its plain port did until the console took it.
  const port = standbyHttps ? (await standbyHttps.close(), standbyHttps.port) : config.https.port;
  await new Promise<void>((resolve) => httpsServer.listen(port, config.host, resolve));
}
await leadership.listening({ webUrl: webUrl(), apUrl: `https://${hostPort(config.host, capwapPort)}`, cliUrl: cliUrlOf(config.host, await started.cli.listening) });
console.log(`console listening on ${webUrl()}`);
installGracefulStop(async (reason) => {
  await started.close(reason);
  await leadership.stop();
});
