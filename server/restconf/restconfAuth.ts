import type { IncomingMessage } from 'node:http';
import type { AuthService, SessionUser } from '../auth/authService';
import { sourceAddressOf } from '../http/requestGate';
import type { AccessLimiter } from '../auth/sourceLimiter';

export type Authenticated = { ok: true; user: SessionUser; release: () => void } | { ok: false; status: 401 | 429; message: string; headers: Record<string, string> };

/** How RESTCONF's callers appear in the audit trail, as SSH's do with `(ssh)`. */
export function restconfSource(address: string): string {
  return `${address} (restconf)`;
}

export const BASIC_CHALLENGE = 'Basic realm="EWC RESTCONF", charset="UTF-8"';

// RFC 7617: `Basic base64(user:password)`, the password may hold colons.
function basicCredentials(header: string | undefined): { username: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const text = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * HTTP Basic with the console's accounts. Each request costs a password check, so the per-source
 * `restconf` limit is asked first, before any hashing; a wrong password counts toward the account's
 * lockout and is audited as a web login's is (`ADDRESS (restconf)`), and waits the same growing delay.
 * No session is created and no cookie set. A success is audited when a user starts reading from an
 * address, and again after the web session's idle limit without a request, as a login would be.
 */
export class RestconfAuth {
  private readonly lastSeen = new Map<string, number>();

  constructor(
    private readonly auth: AuthService,
    private readonly limiter: AccessLimiter,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(req: IncomingMessage): Promise<Authenticated> {
    const address = sourceAddressOf(req);
    const admission = this.limiter.admit('restconf', address);
    if (!admission.ok) return { ok: false, status: 429, message: admission.message, headers: { 'retry-after': String(admission.retryAfterSeconds) } };
    const credentials = basicCredentials(req.headers.authorization);
    if (!credentials) {
      admission.release();
      return { ok: false, status: 401, message: 'RESTCONF needs HTTP Basic authentication with a console account', headers: { 'www-authenticate': BASIC_CHALLENGE } };
    }
    const source = restconfSource(address);
    const result = await this.auth.authenticate(credentials.username, credentials.password, source);
    if (!result.ok) {
      // Each failure costs the caller a little more time before the answer, which slows a guessing script.
      await new Promise((resolve) => setTimeout(resolve, result.delayMs));
      admission.release();
      return { ok: false, status: 401, message: result.message, headers: { 'www-authenticate': BASIC_CHALLENGE } };
    }
    await this.auditStart(result.user, source);
    return { ok: true, user: result.user, release: admission.release };
  }

  private async auditStart(user: SessionUser, source: string): Promise<void> {
    const key = `${user.username.toLowerCase()} ${source}`;
    const now = this.now();
    const last = this.lastSeen.get(key);
    this.lastSeen.set(key, now);
    if (last !== undefined && now - last < this.auth.sessionIdleMs) return;
    // Bounded: forget callers idle for longer than the idle limit.
    if (this.lastSeen.size > 10_000) for (const [k, t] of this.lastSeen) if (now - t >= this.auth.sessionIdleMs) this.lastSeen.delete(k);
    await this.auth.audit.record({ username: user.username, sourceAddress: source, action: 'login', detail: 'RESTCONF (HTTP Basic)' });
  }
}
