import fs from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ConsoleClientToServerEvents, ConsoleServerToClientEvents, ConsoleSnapshot } from '../../../lib/socketEvents';
import type { ImageFetchProgress } from '../../../lib/upgradeStage';
import { startFleet, type Fleet } from '../ap/simulatedFleet';
import type { FleetAp } from '../ap/fleetSpec';
import { loadConfig, type ConsoleConfig } from '../../config';
import { createConsole, type ConsoleInstance } from '../../createConsole';
import { sessionCookie } from '../../auth/cookies';
import { routeConsoleRequest } from '../../http/consoleRequests';
import { RequestGate } from '../../http/requestGate';
import { loadTrustedVendorKeys } from '../../imageSigning/imageManifest';
import type { RequestActor } from '../../../lib/requestActor';
import { JOIN_TOKEN_FILE } from '../../pki/joinToken';
import { harnessDatabaseEnv } from './harnessDatabase';

/** The actor API calls are made as in tests: the first admin, from loopback. */
export const ADMIN: RequestActor = { username: 'admin', role: 'admin', sourceAddress: '127.0.0.1' };
export const TEST_ADMIN_PASSWORD = 'test-admin-password';

export interface ConsoleHarness {
  url: string;
  /** The AP port (`https://127.0.0.1:PORT`), where agents enrol and join over mutual TLS. */
  capwapUrl: string;
  config: ConsoleConfig;
  instance: ConsoleInstance;
  fleet: Fleet | null;
  browser: BrowserProbe;
  startFleet(aps: FleetAp[], linkKbps?: number, options?: { keepImages?: boolean }): Promise<Fleet>;
  /** Stops the fleet and the console, keeping the data folder (to test a restart). */
  stop(): Promise<void>;
  /** Stops everything and removes the data folder. */
  dispose(): Promise<void>;
}

/** What a browser on the page receives: the snapshot, then every batch. */
export class BrowserProbe {
  snapshot: ConsoleSnapshot | null = null;
  readonly percentsSeen = new Map<string, number[]>();
  readonly fetchesSeen: ImageFetchProgress[] = [];
  readonly socket: Socket<ConsoleServerToClientEvents, ConsoleClientToServerEvents>;

  constructor(url: string, cookie: string) {
    // A browser page reaches the live namespace only with a session cookie.
    this.socket = io(url, { transports: ['websocket'], extraHeaders: { cookie } });
    this.socket.on('snapshot:sent', (snapshot) => {
      this.snapshot = snapshot;
    });
    this.socket.on('upgrade:updated', (upgrade) => this.fetchesSeen.push(...upgrade.fetches));
    this.socket.on('apImage:updated', ({ aps }) => {
      for (const ap of aps) {
        const seen = this.percentsSeen.get(ap.name) ?? [];
        seen.push(ap.percent);
        this.percentsSeen.set(ap.name, seen);
      }
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}

/**
 * A console on free loopback ports. Agents started through it enrol with the console's fleet join
 * token, approved automatically (EWC_AP_AUTO_APPROVE=1), and trust its vendor keys. Unsigned test
 * bundles are accepted unless a test sets EWC_REQUIRE_SIGNED_IMAGES=1 or ask; test catalogs run on loopback,
 * which EWC_CATALOG_ALLOW_LOOPBACK=1 allows unless a test sets it to 0.
 */
export async function startConsoleHarness(env: Record<string, string> = {}, dataDir?: string): Promise<ConsoleHarness> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-console-'));
  const config = loadConfig({
    EWC_DATA_DIR: dir,
    EWC_DEMO: '0',
    EWC_RELOAD_MS: '200',
    EWC_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    EWC_CLI_PORT: '0',
    EWC_AP_AUTO_APPROVE: '1',
    EWC_REQUIRE_SIGNED_IMAGES: '0',
    EWC_CATALOG_ALLOW_LOOPBACK: '1',
    // `EWC_AP_PORT_WORKER=0 npx vitest run …` runs a suite with the AP port on the console's event loop.
    ...(process.env.EWC_AP_PORT_WORKER ? { EWC_AP_PORT_WORKER: process.env.EWC_AP_PORT_WORKER } : {}),
    ...(await harnessDatabaseEnv(dir)),
    ...env,
  });
  // The console's own request routing behind the request gate (GET /metrics, uploads); what Next.js would serve answers 404.
  let route: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const httpServer: Server = createServer((req, res) => route?.(req, res));
  const instance = await createConsole(httpServer, config);
  const gate = new RequestGate(instance.auth, { allowedHosts: { configured: config.allowedHosts, listenHost: config.host }, limiter: instance.limiter });
  route = (req, res) =>
    routeConsoleRequest(instance, gate, req, res, () => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'Not served without Next.js' }));
    });
  // A given PORT and EWC_CAPWAP_PORT are kept, so a console restarted on the same data folder is found again by its pages and APs.
  await new Promise<void>((resolve) => httpServer.listen(env.PORT ? config.port : 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const capwapUrl = `https://127.0.0.1:${await instance.capwap.listen(env.EWC_CAPWAP_PORT ? config.capwapPort : 0, '127.0.0.1')}`;
  const login = await instance.auth.login('admin', TEST_ADMIN_PASSWORD, '127.0.0.1');
  if (!login.ok) throw new Error(`The test admin cannot log in: ${login.message}`);
  const browser = new BrowserProbe(url, sessionCookie(login.sessionId, { maxAgeSeconds: 3600 }).split(';')[0]);
  const harness: ConsoleHarness = {
    url,
    capwapUrl,
    config,
    instance,
    fleet: null,
    browser,
    startFleet: async (aps, linkKbps = 0, options = {}) => {
      harness.fleet = await startTestFleet({ instance, config, capwapUrl, dir }, aps, linkKbps, options);
      return harness.fleet;
    },
    stop: async () => {
      browser.close();
      await harness.fleet?.stop();
      await instance.close();
    },
    dispose: async () => {
      await harness.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Agents that enrol with this console's fleet join token and trust its CA and vendor keys, their storage under `dir/fleet`. */
export function startTestFleet(
  on: { instance: ConsoleInstance; config: ConsoleConfig; capwapUrl: string; dir: string },
  aps: FleetAp[],
  linkKbps = 0,
  options: { keepImages?: boolean } = {},
): Promise<Fleet> {
  return startFleet({
    controllerUrls: [on.capwapUrl],
    trust: { caCertPem: fs.readFileSync(path.join(on.instance.trust.pkiDir, 'ca.crt'), 'utf8'), enrolmentToken: on.instance.trust.joinToken },
    vendorKeys: loadTrustedVendorKeys(on.config.vendorKeyDir),
    aps,
    storageRoot: path.join(on.dir, 'fleet'),
    linkKbps,
    reloadMs: on.config.reloadMs,
    ...options,
  });
}

/** What `npm run fleet` needs to enrol with this console: its CA, its fleet join token file, its vendor keys. */
export function fleetCliTrustArgs(harness: ConsoleHarness): string[] {
  const pki = harness.instance.trust.pkiDir;
  return ['--ca', path.join(pki, 'ca.crt'), '--join-token-file', path.join(pki, JOIN_TOKEN_FILE), '--vendor-keys', harness.config.vendorKeyDir];
}

/** Polls until the check passes or the time is up; fails with the last value seen, for a readable test failure. */
export async function waitFor<T>(what: string, read: () => T | Promise<T>, check: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(value, null, 1).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}
