import { loginSchema, type LoginRefusal } from '../../lib/validations/authSchemas';
import { actorVia } from '../app/actor';
import { changePassword } from '../app/users/changePassword';
import { createUser } from '../app/users/createUser';
import { removeUser } from '../app/users/removeUser';
import type { AuthService, SessionUser } from '../auth/authService';
import { clearSessionCookie, sessionCookie } from '../auth/cookies';
import type { EventLog } from '../store/eventLog';
import { toFieldIssues } from '../../lib/imageDownloadProfile';
import { refusalBody, sentence } from '../../lib/serverSentences';
import type { ApiResult } from './apiResult';
import { answer } from './domainResult';
import type { RequestActor } from '../../lib/requestActor';

const done = (): { ok: true } => ({ ok: true });

/** Login, logout, users and the audit trail, behind the same thin route handlers as the console API. */
export class AuthApi {
  constructor(
    private readonly auth: AuthService,
    private readonly log: EventLog,
  ) {
    auth.onAccountLocked(({ username, sourceAddress, failures, until }) =>
      log.write({
        severity: 'warning',
        facility: 'AUTH-4-ACCOUNT_LOCKED',
        text: `Account ${username} locked after ${failures} failed logins from ${sourceAddress}, until ${until.toISOString()}`,
      }),
    );
  }

  /** `secure`: the login came over TLS, so its session cookie is the Secure `__Host-` one, which plain HTTP never reads. */
  async login(body: unknown, sourceAddress: string, secure: boolean): Promise<ApiResult> {
    const parsed = loginSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: refusalBody(sentence('loginIncomplete'), { issues: toFieldIssues(parsed.error) }) };
    const result = await this.auth.login(parsed.data.username, parsed.data.password, sourceAddress);
    if (!result.ok) {
      // Each failure costs the caller a little more time before the answer, which slows a guessing script.
      await new Promise((resolve) => setTimeout(resolve, result.delayMs));
      // The code and the lock's end come after the English message, which stays as scripts know it.
      const body: LoginRefusal =
        result.status === 423
          ? { error: result.message, code: 'accountLocked', ...(result.lockedUntil ? { lockedUntil: result.lockedUntil } : {}) }
          : { error: result.message, code: 'invalidCredentials' };
      return { status: result.status, body };
    }
    return {
      status: 200,
      body: { user: result.user },
      setCookie: sessionCookie(result.sessionId, { maxAgeSeconds: this.auth.sessionMaxAgeSeconds, secure }),
    };
  }

  async logout(sessionId: string | null, actor: RequestActor, secure: boolean): Promise<ApiResult> {
    if (sessionId) await this.auth.logout(sessionId, actor.sourceAddress);
    return { status: 200, body: { ok: true }, setCookie: clearSessionCookie({ secure }) };
  }

  /** The user behind a session cookie, for route handlers that check the caller themselves. */
  sessionUser(sessionId: string | null): Promise<SessionUser | null> {
    return this.auth.sessionUser(sessionId);
  }

  session(actor: RequestActor): ApiResult {
    return { status: 200, body: { user: { username: actor.username, role: actor.role } } };
  }

  async listUsers(): Promise<ApiResult> {
    return { status: 200, body: { users: await this.auth.listUsers() } };
  }

  async createUser(body: unknown, actor: RequestActor): Promise<ApiResult> {
    return answer(await createUser(this.auth.accounts, body, actorVia(actor, 'api')), 201, (user) => ({ user }));
  }

  async removeUser(username: string, actor: RequestActor): Promise<ApiResult> {
    return answer(await removeUser(this.auth.accounts, username, actorVia(actor, 'api')), 200, done);
  }

  /** The caller's own session stays open when they change their own password. */
  async changePassword(username: string, body: unknown, actor: RequestActor, sessionId: string | null): Promise<ApiResult> {
    return answer(await changePassword(this.auth.accounts, username, body, actorVia(actor, 'api'), sessionId ?? undefined), 200, done);
  }

  async audit(): Promise<ApiResult> {
    return { status: 200, body: { entries: await this.auth.audit.recent() } };
  }

  async auditExport(): Promise<ApiResult> {
    return { status: 200, body: await this.auth.audit.exportText(), contentType: 'text/plain' };
  }
}
