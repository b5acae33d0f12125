import { afterCommit, type Executor } from '../store/store';
import type { AuditLog } from '../app/audit/auditLog';
import type { CurrentPasswordRefusal, UserAccountsDeps } from '../app/users/userAccountsDeps';
import './passwordDictionaries';
import { passwordPolicyProblem } from '../../lib/validations/passwordPolicy';
import { usernameSchema, type Role, type UserView } from '../../lib/validations/authSchemas';
import { DEFAULT_THROTTLE, LoginThrottle, throttleKey } from './loginThrottle';
import { generatePassword, hashPassword, hashPasswordSync, needsRehash, verifyPassword } from './passwordHash';
import { SessionStore, hashSessionId, type StoredSession } from './sessionStore';
import { UserRepository, toUserView } from '../store/userRepository';

export interface AuthServiceOptions {
  /** EWC_ADMIN_PASSWORD: the first admin's password; generated when unset. Ignored once any account exists. */
  adminPassword?: string;
  sessionIdleMs?: number;
  sessionAbsoluteMs?: number;
  lockAfterFailures?: number;
  lockWindowMs?: number;
  lockMs?: number;
  failureDelayStepMs?: number;
  maxFailureDelayMs?: number;
  now?: () => number;
}

export interface SessionUser {
  username: string;
  role: Role;
}

export type SessionEndReason = 'logout' | 'expired' | 'removed' | 'password' | 'role';

/** Told whenever a session ends, so the socket layer can drop the sockets opened under it. */
export interface SessionEnded {
  idHash: string;
  username: string;
  reason: SessionEndReason;
}

export interface AccountLocked {
  username: string;
  sourceAddress: string;
  failures: number;
  until: Date;
}

export type LoginFailure = { ok: false; status: 401 | 423; message: string; delayMs: number; lockedUntil?: string };
export type LoginResult = { ok: true; sessionId: string; user: SessionUser } | LoginFailure;

export const DEFAULT_SESSION_IDLE_MS = 8 * 60 * 60_000;
export const DEFAULT_SESSION_ABSOLUTE_MS = 24 * 60 * 60_000;
export const INITIAL_ADMIN = 'admin';
export const BAD_CREDENTIALS = 'Invalid username or password';

/** HH:MM:SS in the server's local time, which is the operator's on a console that runs next to them. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/**
 * Logins, sessions and the lockout of the console's accounts, and the audit lines of logins and logouts.
 * Changes to the accounts are use cases (server/app/users), which this fills `accounts` for.
 */
export class AuthService {
  private readonly users: UserRepository;
  private readonly sessions: SessionStore;
  private readonly throttle: LoginThrottle;
  private readonly now: () => number;
  private readonly absoluteMs: number;
  private readonly sessionListeners = new Set<(ended: SessionEnded) => void>();
  private readonly lockListeners = new Set<(locked: AccountLocked) => void>();
  private readonly loginQueues = new Map<string, Promise<unknown>>();
  /** What the account use cases (server/app/users) need of the accounts, sessions and lockout kept here. */
  readonly accounts: UserAccountsDeps;
  // Unknown names are checked against this, so they cost the same time as a wrong password.
  private readonly dummyHash: Promise<string>;

  /** `audit` is the console's one audit trail (server/app/audit), which logins, logouts and account changes write to. */
  constructor(
    private readonly db: Executor,
    readonly audit: AuditLog,
    private readonly options: AuthServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.absoluteMs = options.sessionAbsoluteMs ?? DEFAULT_SESSION_ABSOLUTE_MS;
    this.users = new UserRepository(this.now);
    this.sessions = new SessionStore(db, { idleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS, absoluteMs: this.absoluteMs }, this.now);
    this.throttle = new LoginThrottle(
      db,
      {
        lockAfterFailures: options.lockAfterFailures ?? DEFAULT_THROTTLE.lockAfterFailures,
        windowMs: options.lockWindowMs ?? DEFAULT_THROTTLE.windowMs,
        lockMs: options.lockMs ?? DEFAULT_THROTTLE.lockMs,
        delayStepMs: options.failureDelayStepMs ?? DEFAULT_THROTTLE.delayStepMs,
        maxDelayMs: options.maxFailureDelayMs ?? DEFAULT_THROTTLE.maxDelayMs,
      },
      this.now,
    );
    this.dummyHash = hashPassword(generatePassword());
    this.accounts = {
      db,
      users: this.users,
      audit,
      hashPassword,
      endSessions: async (tx, username, reason, keepSessionId) => {
        const ended = await this.sessions.deleteForUser(username, keepSessionId ? hashSessionId(keepSessionId) : null, tx);
        afterCommit(tx, () => this.ended(ended, reason));
      },
      forgetFailures: (tx, username) => this.throttle.forget(username, tx),
      checkCurrentPassword: (username, currentPassword, sourceAddress) => this.checkCurrentPassword(username, currentPassword, sourceAddress),
    };
  }

  /** Max-Age for the session cookie: the browser may keep it as long as the session can possibly live. */
  get sessionMaxAgeSeconds(): number {
    return Math.floor(this.absoluteMs / 1000);
  }

  /**
   * Creates the `admin` account when there is no account at all. A generated password is returned
   * this once so the server can print it; only its hash is kept.
   */
  async ensureAdmin(): Promise<{ generatedPassword: string | null }> {
    if ((await this.users.count(this.db)) > 0) return { generatedPassword: null };
    const given = this.options.adminPassword;
    if (given !== undefined && given !== '') {
      const problem = passwordPolicyProblem(given, INITIAL_ADMIN);
      if (problem) throw new Error(`EWC_ADMIN_PASSWORD: ${problem}`);
      await this.users.insert(this.db, INITIAL_ADMIN, 'admin', hashPasswordSync(given));
      return { generatedPassword: null };
    }
    const generated = generatePassword();
    await this.users.insert(this.db, INITIAL_ADMIN, 'admin', hashPasswordSync(generated));
    return { generatedPassword: generated };
  }

  /**
   * Checks a password. A refusal carries `delayMs`, which the caller should wait before answering,
   * so each wrong guess costs more. Unknown names get the same answer, after the same work, as wrong passwords.
   */
  login(username: string, password: string, sourceAddress: string): Promise<LoginResult> {
    // One attempt at a time per name: parallel guesses would otherwise all pass the lock check before any failure counts.
    return this.oneAtATime(throttleKey(username), () => this.attemptLogin(username, password, sourceAddress));
  }

  /**
   * Opens a session for a login that proved itself another way than the password (an SSH public key the
   * caller verified): the same lock check, session and audit line as a password login.
   */
  async loginWithVerifiedKey(username: string, keyFingerprint: string, sourceAddress: string): Promise<{ sessionId: string; user: SessionUser } | null> {
    const user = await this.users.find(this.db, username);
    if (!user) return null;
    if ((await this.throttle.lockedUntil(username)) !== null) {
      await this.audit.record({ username, sourceAddress, action: 'login.failed', detail: 'account locked' });
      return null;
    }
    const sessionId = await this.sessions.create(user.username);
    await this.audit.record({ username: user.username, sourceAddress, action: 'login', detail: `public key ${keyFingerprint}` });
    return { sessionId, user: { username: user.username, role: user.role } };
  }

  /** The idle limit of every session, web or SSH. */
  get sessionIdleMs(): number {
    return this.options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  }

  /** The user behind a session id, sliding its idle expiry; null when there is no live session. */
  async sessionUser(sessionId: string | null | undefined): Promise<SessionUser | null> {
    if (!sessionId) return null;
    const found = await this.sessions.touch(sessionId);
    if (found.status === 'expired') this.ended([found.session], 'expired');
    if (found.status !== 'active') return null;
    const user = await this.users.find(this.db, found.session.username);
    return user ? { username: user.username, role: user.role } : null;
  }

  async logout(sessionId: string, sourceAddress = 'unknown'): Promise<void> {
    const session = await this.sessions.delete(sessionId);
    if (!session) return;
    await this.audit.record({ username: session.username, sourceAddress, action: 'logout' });
    this.ended([session], 'logout');
  }

  async listUsers(): Promise<UserView[]> {
    return (await this.users.list(this.db)).map(toUserView);
  }

  onSessionEnded(listener: (ended: SessionEnded) => void): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  /** Told when repeated failures lock a name, so the server can put it in the event log too. */
  onAccountLocked(listener: (locked: AccountLocked) => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  /** Ends sessions that expired without being used again (their sockets would otherwise stay open) and forgets stale failures. */
  async sweepExpired(): Promise<number> {
    const ended = await this.sessions.deleteExpired();
    this.ended(ended, 'expired');
    await this.throttle.prune();
    return ended.length;
  }

  startExpirySweep(intervalMs = 60_000): () => void {
    const timer = setInterval(() => {
      this.sweepExpired().catch((error: Error) => console.error(`Session sweep failed: ${error.message}`));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async attemptLogin(username: string, password: string, sourceAddress: string): Promise<LoginResult> {
    const checked = await this.checkCredentials(username, password, sourceAddress);
    if (!checked.ok) return checked;
    const sessionId = await this.sessions.create(checked.user.username);
    await this.audit.record({ username: checked.user.username, sourceAddress, action: 'login' });
    return { ok: true, sessionId, user: checked.user };
  }

  /**
   * Checks a password for a request that carries its credentials each time (RESTCONF's HTTP Basic):
   * the same lock, delays, failure counting and audit of failures as a login, but no session is
   * created, and a success is not audited here (the caller knows when a client starts using it).
   */
  authenticate(username: string, password: string, sourceAddress: string): Promise<{ ok: true; user: SessionUser } | LoginFailure> {
    return this.oneAtATime(throttleKey(username), () => this.checkCredentials(username, password, sourceAddress));
  }

  private async checkCredentials(username: string, password: string, sourceAddress: string): Promise<{ ok: true; user: SessionUser } | LoginFailure> {
    const lockedUntil = await this.throttle.lockedUntil(username);
    if (lockedUntil !== null) {
      await this.audit.record({ username, sourceAddress, action: 'login.failed', detail: 'account locked' });
      return this.lockedAnswer(lockedUntil);
    }
    const user = usernameSchema.safeParse(username).success ? await this.users.find(this.db, username) : null;
    const valid = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !valid) {
      const outcome = await this.throttle.recordFailure(username);
      await this.audit.record({ username, sourceAddress, action: 'login.failed', detail: user ? 'wrong password' : 'unknown user' });
      if (!outcome.locked) return { ok: false, status: 401, message: BAD_CREDENTIALS, delayMs: outcome.delayMs };
      const until = new Date(outcome.untilMs);
      await this.audit.record({ username, sourceAddress, action: 'login.locked', detail: `${outcome.failures} failed logins; locked until ${until.toISOString()}` });
      for (const listener of this.lockListeners) listener({ username, sourceAddress, failures: outcome.failures, until });
      return this.lockedAnswer(outcome.untilMs, outcome.delayMs);
    }
    await this.throttle.recordSuccess(user.username);
    if (needsRehash(user.passwordHash)) await this.users.upgradePasswordHash(this.db, user.username, await hashPassword(password));
    return { ok: true, user: { username: user.username, role: user.role } };
  }

  private async checkCurrentPassword(username: string, currentPassword: string | undefined, sourceAddress: string): Promise<CurrentPasswordRefusal | null> {
    if (!currentPassword) return { locked: false, message: 'Enter your current password' };
    const lockedUntil = await this.throttle.lockedUntil(username);
    if (lockedUntil !== null) return { locked: true, message: `Account locked after ${this.throttle.lockAfterFailures} failed logins; try again at ${formatClock(lockedUntil)}` };
    const user = await this.users.find(this.db, username);
    if (user && (await verifyPassword(currentPassword, user.passwordHash))) return null;
    await this.throttle.recordFailure(username);
    await this.audit.record({ username, sourceAddress, action: 'login.failed', detail: 'wrong current password on password change' });
    return { locked: false, message: 'The current password is wrong' };
  }

  private lockedAnswer(untilMs: number, delayMs = this.throttle.maxDelayMs): LoginFailure {
    return {
      ok: false,
      status: 423,
      message: `Account locked after ${this.throttle.lockAfterFailures} failed logins; try again at ${formatClock(untilMs)}`,
      delayMs,
      lockedUntil: new Date(untilMs).toISOString(),
    };
  }

  private oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.loginQueues.get(key) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.catch(() => undefined);
    this.loginQueues.set(key, tail);
    void tail.then(() => {
      if (this.loginQueues.get(key) === tail) this.loginQueues.delete(key);
    });
    return run;
  }

  private ended(sessions: StoredSession[], reason: SessionEndReason): void {
    for (const session of sessions) {
      for (const listener of this.sessionListeners) listener({ idHash: session.idHash, username: session.username, reason });
    }
  }
}
