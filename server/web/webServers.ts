import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ConsoleInstance } from '../createConsole';
import { routeConsoleRequest } from '../http/consoleRequests';
import type { RequestGate } from '../http/requestGate';
import { isRestconfPath } from '../restconf/restconfPath';
import type { RestconfServer } from '../restconf/restconfServer';
import { answerWithHttps, type PlainHttpMode } from './plainHttp';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Where the two ports send a request, once the console exists. */
export interface WebRoutes {
  /** The request gate's Host check; it answers a foreign Host itself. */
  checkHost(req: IncomingMessage, res: ServerResponse): boolean;
  /** Pages, API, uploads: behind the request gate, the same over HTTP and HTTPS. */
  console: Handler;
  /** `/restconf` and `/.well-known/host-meta`: HTTPS only. */
  restconf: Handler;
}

/** The console behind its ports: the request gate, then Desktop uploads (tus) or Next.js (`pages`); RESTCONF beside them. */
export function consoleRoutes(parts: { gate: RequestGate; restconf: RestconfServer; instance: Pick<ConsoleInstance, 'uploads' | 'metrics'>; pages: Handler }): WebRoutes {
  return {
    checkHost: (req, res) => parts.gate.checkHost(req, res),
    console: (req, res) => routeConsoleRequest(parts.instance, parts.gate, req, res, () => parts.pages(req, res)),
    restconf: (req, res) => void parts.restconf.handle(req, res),
  };
}

/**
 * The console's web ports: HTTPS (pages, API, socket.io, RESTCONF) and plain HTTP, which serves the
 * same console on a loopback HOST and otherwise only sends browsers to HTTPS (plainHttp.ts). socket.io
 * is attached to `consoleServers` by createConsole, so in redirect mode plain HTTP has no live socket either.
 * The HTTPS server has no certificate until HttpsIdentity puts one on it, before `listen`.
 */
export class WebServers {
  readonly http: HttpServer;
  readonly https: HttpsServer;
  private httpsPort = 0;

  constructor(
    readonly plainHttp: PlainHttpMode,
    private readonly routes: () => WebRoutes | null,
  ) {
    this.http = createHttpServer((req, res) => this.onPlainHttp(req, res));
    this.https = createHttpsServer({ minVersion: 'TLSv1.2' }, (req, res) => this.onHttps(req, res));
  }

  get consoleServers(): (HttpServer | HttpsServer)[] {
    return this.plainHttp === 'serve' ? [this.https, this.http] : [this.https];
  }

  /** Listens on both ports (0 picks a free one); resolves with the ports. */
  async listen(host: string, httpPort: number, httpsPort: number): Promise<{ httpPort: number; httpsPort: number }> {
    const listen = (server: HttpServer | HttpsServer, port: number) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    this.httpsPort = await listen(this.https, httpsPort);
    return { httpPort: await listen(this.http, httpPort), httpsPort: this.httpsPort };
  }

  /** For a graceful stop: idle keep-alive connections would hold the servers open; active ones finish within the deadline. */
  closeIdleConnections(): void {
    this.http.closeIdleConnections();
    this.https.closeIdleConnections();
  }

  close(): Promise<void> {
    const close = (server: HttpServer | HttpsServer) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    return Promise.all([close(this.http), close(this.https)]).then(() => undefined);
  }

  private onHttps(req: IncomingMessage, res: ServerResponse): void {
    const routes = this.routes();
    if (!routes) return;
    if (isRestconfPath(pathOf(req))) routes.restconf(req, res);
    else routes.console(req, res);
  }

  private onPlainHttp(req: IncomingMessage, res: ServerResponse): void {
    const routes = this.routes();
    if (!routes) return;
    // RESTCONF carries a password in every request: never over plain HTTP, whatever the HOST.
    if (this.plainHttp === 'redirect' || isRestconfPath(pathOf(req))) {
      if (routes.checkHost(req, res)) answerWithHttps(req, res, this.httpsPort);
      return;
    }
    routes.console(req, res);
  }
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0];
}
