import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../config';
import { createConsole } from '../../createConsole';
import { installGracefulStop } from '../../gracefulStop';
import type { ApiResult } from '../../http/apiResult';
import type { RequestActor } from '../../../lib/requestActor';
import { hostPort } from '../../../lib/netAddress';

/**
 * The console as its own process, without Next.js, for tests that kill it (restart fault injection):
 * createConsole on a bare HTTP server, configured by the same environment as `npm run serve`, stopped
 * gracefully by SIGTERM like server/main.ts. Test-only control calls on loopback stand in for the pages:
 * `POST /test/download` (the profile as body), `POST /test/activate`, `GET /test/state`.
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
const httpServer = createServer((req, res) => {
  const answer = ({ status, body }: ApiResult) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const route = `${req.method} ${req.url}`;
  if (route === 'GET /test/state') {
    answer({ status: 200, body: { upgrade: instance.api.getUpgrade().body, apImage: instance.api.getApImage().body, syslog: instance.api.getSyslog().body } });
  } else if (route === 'POST /test/download') {
    void bodyOf(req)
      .then((body) => instance.api.startDownload(body, ACTOR))
      .then(answer);
  } else if (route === 'POST /test/activate') {
    void instance.api.activate(ACTOR).then(answer);
  } else if (!req.url?.startsWith('/socket.io')) {
    answer({ status: 404, body: { error: 'not found' } });
  }
});
const instance = await createConsole(httpServer, config);
// The AP port first, so that "console listening" means APs can join too.
void instance.capwap.listen(config.capwapPort, config.host).then(() =>
  httpServer.listen(config.port, config.host, () => {
    const { port } = httpServer.address() as AddressInfo;
    console.log(`console listening on http://${hostPort(config.host, port)}`);
  }),
);
installGracefulStop((reason) => instance.close(reason));
