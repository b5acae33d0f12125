import fs from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import os from 'node:os';
import path from 'node:path';
import type { Fleet } from '../ap/simulatedFleet';
import type { FleetAp } from '../ap/fleetSpec';
import { loadConfig, type ConsoleConfig } from '../../config';
import { createConsole, type ConsoleInstance } from '../../createConsole';
import { RequestGate } from '../../http/requestGate';
import { RestconfAuth } from '../../restconf/restconfAuth';
import { RestconfServer } from '../../restconf/restconfServer';
import { startTestFleet, TEST_ADMIN_PASSWORD } from './consoleHarness';
import { SECURE_TRANSPORT_HEADER } from '../../../lib/requestActor';
import { HttpsIdentity, identitySourceFor } from '../../web/httpsIdentity';
import { plainHttpModeFor, type PlainHttpMode } from '../../web/plainHttp';
import { consoleRoutes, WebServers, type WebRoutes } from '../../web/webServers';

export { TEST_ADMIN_PASSWORD };

/** A console on both web ports as server/main.ts composes it, with a stand-in for Next.js behind the gate. */
export interface HttpsConsole {
  httpUrl: string;
  httpsUrl: string;
  capwapUrl: string;
  /** The local CA's certificate, which the HTTPS certificate chains to (unless the admin's files are used). */
  caPem: string;
  config: ConsoleConfig;
  instance: ConsoleInstance;
  identity: HttpsIdentity;
  web: WebServers;
  /** The lines the HTTPS identity logged (reloads and refusals). */
  log: string[];
  /** Starts agents for these APs (call it again for APs on another link rate); all stop with the console. */
  startFleet(aps: FleetAp[], linkKbps?: number, storage?: string): Promise<Fleet>;
  dispose(): Promise<void>;
}

/**
 * What Next.js would do behind the gate, as far as these tests need: the login route's call (the same
 * AuthApi call app/api/auth/login/route.ts makes, with the transport the gate marked), and otherwise an
 * echo of what the gate handed over.
 */
function pagesStandIn(instance: ConsoleInstance) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const secure = req.headers[SECURE_TRANSPORT_HEADER] === '1';
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', async () => {
      if (req.method === 'POST' && req.url === '/api/auth/login') {
        const result = await instance.authApi.login(JSON.parse(body || '{}'), String(req.headers['x-ewc-source-address']), secure);
        res.writeHead(result.status, { 'content-type': 'application/json', ...(result.setCookie ? { 'set-cookie': result.setCookie } : {}) });
        res.end(JSON.stringify(result.body));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ page: req.url, actor: req.headers['x-ewc-actor'] ?? null, secure }));
    });
  };
}

export async function startHttpsConsole(env: Record<string, string> = {}, options: { plainHttp?: PlainHttpMode; watchIntervalMs?: number } = {}): Promise<HttpsConsole> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-https-'));
  const config = loadConfig({
    EWC_DATA_DIR: dir,
    EWC_DEMO: '0',
    EWC_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    EWC_CLI_PORT: '0',
    EWC_AP_AUTO_APPROVE: '1',
    EWC_REQUIRE_SIGNED_IMAGES: '0',
    EWC_RELOAD_MS: '200',
    ...env,
  });
  let routes: WebRoutes | null = null;
  // A non-loopback HOST is never bound in tests: its redirect rule is asked for by name on loopback.
  const web = new WebServers(options.plainHttp ?? plainHttpModeFor(config.host), () => routes);
  const instance = await createConsole(web.consoleServers, config);
  const gate = new RequestGate(instance.auth, { allowedHosts: { configured: config.allowedHosts, listenHost: config.host }, limiter: instance.limiter, behindTlsProxy: config.secureCookie });
  const restconf = new RestconfServer({ checkHost: (req, res) => gate.checkHost(req, res), auth: new RestconfAuth(instance.auth, instance.limiter), sources: instance.restconf });
  routes = consoleRoutes({ gate, restconf, instance, pages: pagesStandIn(instance) });
  const log: string[] = [];
  const identity = await HttpsIdentity.start(web.https, identitySourceFor(config, instance.trust), { log: (line) => log.push(line), watchIntervalMs: options.watchIntervalMs });
  const ports = await web.listen('127.0.0.1', 0, 0);
  const capwapUrl = `https://127.0.0.1:${await instance.capwap.listen(0, '127.0.0.1')}`;
  const fleets: Fleet[] = [];
  return {
    httpUrl: `http://127.0.0.1:${ports.httpPort}`,
    httpsUrl: `https://127.0.0.1:${ports.httpsPort}`,
    capwapUrl,
    caPem: fs.readFileSync(path.join(instance.trust.pkiDir, 'ca.crt'), 'utf8'),
    config,
    instance,
    identity,
    web,
    log,
    startFleet: async (aps, linkKbps = 0, storage = `fleet-${fleets.length}`) => {
      const fleet = await startTestFleet({ instance, config, capwapUrl, dir: path.join(dir, storage) }, aps, linkKbps);
      fleets.push(fleet);
      return fleet;
    },
    dispose: async () => {
      identity.dispose();
      for (const fleet of fleets) await fleet.stop();
      web.closeIdleConnections();
      await instance.close();
      web.http.closeAllConnections();
      web.https.closeAllConnections();
      await web.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** SHA-256 fingerprint of the certificate the server presented (HTTPS only). */
  fingerprint: string | null;
}

/** One HTTP or HTTPS request, trusting `ca` only (no system roots), with the Host the test chooses. */
export function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; ca?: string; servername?: string; agent?: https.Agent } = {}): Promise<Reply> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      const fingerprint = secure ? ((res.socket as TLSSocket).getPeerCertificate().fingerprint256 ?? null) : null;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, fingerprint }));
    };
    const common = { method: options.method ?? 'GET', headers: options.headers };
    const req = secure
      ? https.request(target, { ...common, ca: options.ca, servername: options.servername, agent: options.agent ?? false }, onResponse)
      : http.request(target, { ...common, agent: false }, onResponse);
    req.on('error', reject);
    req.end(options.body);
  });
}
