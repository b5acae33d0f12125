import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { AuthService } from '../auth/authService';

export interface MetricsEndpointOptions {
  /**
   * Makes the registry, at the first scrape: prom-client's default metrics start an event-loop monitor
   * (a 10 ms timer) and a GC observer, which a console nobody scrapes (most test consoles) should not run.
   */
  registry: () => Registry;
  /** `EWC_METRICS_TOKEN`: a scraper's bearer token; null when none is configured. */
  token: string | null;
  auth: AuthService;
}

/** The scrape path, outside /api: Prometheus's default `metrics_path`. */
export const METRICS_PATH = '/metrics';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    ...(status === 401 ? { 'www-authenticate': 'Basic realm="EWC metrics", charset="UTF-8"' } : {}),
  });
  res.end(`${message}\n`);
}

/** `user:password` from an `Authorization: Basic …` header, or null. */
function basicCredentials(header: string): { username: string; password: string } | null {
  const match = /^Basic +([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * GET /metrics for Prometheus: the bearer token of `EWC_METRICS_TOKEN`, or an account's HTTP Basic
 * credentials (a monitor is enough), checked as a login is (lockout, delays, audit of failures) but
 * opening no session. The request gate has already applied the per-source `metrics` limit.
 */
export class MetricsEndpoint {
  // The first scrape of an account from an address is audited; the next thousands would only bury the trail.
  private readonly audited = new Set<string>();
  private registry: Registry | null = null;

  constructor(private readonly options: MetricsEndpointOptions) {}

  /** Answers the scrape; never rejects (a scrape in flight when the console stops gets a 503). */
  async handle(req: IncomingMessage, res: ServerResponse, sourceAddress: string): Promise<void> {
    try {
      await this.answer(req, res, sourceAddress);
    } catch (error) {
      console.error('GET /metrics:', error instanceof Error ? error.message : error);
      if (!res.headersSent) refuse(res, 503, 'The console cannot answer now; try again.');
      else res.destroy();
    }
  }

  private async answer(req: IncomingMessage, res: ServerResponse, sourceAddress: string): Promise<void> {
    if (req.method !== 'GET') return refuse(res, 405, 'GET only');
    const authorization = req.headers.authorization ?? '';
    const bearer = /^Bearer +(\S+)$/i.exec(authorization)?.[1];
    if (bearer !== undefined) {
      // Compared as digests: equal length, constant time, whatever was sent.
      const { token } = this.options;
      if (!token || !timingSafeEqual(digest(bearer), digest(token))) return refuse(res, 401, 'Wrong bearer token (EWC_METRICS_TOKEN)');
    } else {
      const credentials = basicCredentials(authorization);
      if (!credentials) return refuse(res, 401, "GET /metrics needs the bearer token of EWC_METRICS_TOKEN or an account's HTTP Basic credentials");
      const checked = await this.options.auth.authenticate(credentials.username, credentials.password, sourceAddress);
      if (!checked.ok) {
        // Each failure costs the caller a little more time, as at the web login.
        await new Promise((resolve) => setTimeout(resolve, checked.delayMs));
        return refuse(res, checked.status, checked.message);
      }
      const key = `${checked.user.username}\n${sourceAddress}`;
      if (!this.audited.has(key)) {
        this.audited.add(key);
        await this.options.auth.audit.record({
          username: checked.user.username,
          sourceAddress,
          action: 'login',
          detail: 'GET /metrics with HTTP Basic, no session (later scrapes from this address are not recorded)',
        });
      }
    }
    this.registry ??= this.options.registry();
    const body = await this.registry.metrics();
    res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' });
    res.end(body);
  }
}
