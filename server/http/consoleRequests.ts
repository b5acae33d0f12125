import type { IncomingMessage, ServerResponse } from 'node:http';
import { isUploadPath } from '../../lib/httpModeSettings';
import type { ConsoleInstance } from '../createConsole';
import { METRICS_PATH } from '../metrics/metricsEndpoint';
import { sourceAddressOf, type RequestGate } from './requestGate';

/**
 * Where a request on the console's HTTP port goes once the request gate let it in: Desktop uploads to
 * the tus server, GET /metrics to the metrics endpoint, everything else to `next` (Next.js's pages and
 * API routes in server/main.ts). socket.io answers its own path before this is called.
 */
export function routeConsoleRequest(instance: Pick<ConsoleInstance, 'uploads' | 'metrics'>, gate: RequestGate, req: IncomingMessage, res: ServerResponse, next: () => void): void {
  gate.admit(req, res).then(
    (admitted) => {
      if (!admitted) return;
      const pathname = new URL(req.url ?? '/', 'http://console.invalid').pathname;
      if (isUploadPath(req.url ?? '')) void instance.uploads.handle(req, res);
      else if (pathname === METRICS_PATH) void instance.metrics.handle(req, res, sourceAddressOf(req));
      else next();
    },
    (error: Error) => {
      // The session could not be looked up (the database is gone): refused, never let through.
      console.error(`Request refused: ${error.message}`);
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ error: 'The console cannot check the session now; try again in a moment.' }));
    },
  );
}
