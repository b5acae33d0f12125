import type { Db } from '../store/database';

export interface LoginThrottleOptions {
  /** Failures within `windowMs` that lock the name. */
  lockAfterFailures: number;
  windowMs: number;
  lockMs: number;
  /** Each failure in the window adds this much to the delay before the answer... */
  delayStepMs: number;
  /** ...up to this much. */
  maxDelayMs: number;
}

export const DEFAULT_THROTTLE: LoginThrottleOptions = {
  lockAfterFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  delayStepMs: 250,
  maxDelayMs: 2000,
};

export type FailureOutcome = { locked: false; failures: number; delayMs: number } | { locked: true; failures: number; untilMs: number; delayMs: number };

// Attempted names are stored as given by strangers; bound what one can make the table hold.
const MAX_KEY_LENGTH = 64;

/** The throttle's name for an attempted user name: the same for every spelling that logs into the same account. */
export function throttleKey(username: string): string {
  return username.toLowerCase().slice(0, MAX_KEY_LENGTH);
}

/**
 * Slows down and then locks password guessing per user name. Names that are not accounts are
 * counted and locked exactly the same way, so the lock never tells a guesser which names exist.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly options: LoginThrottleOptions = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** When the name is locked, until when (epoch ms); otherwise null. */
  lockedUntil(username: string): number | null {
    const until = this.db.prepare('SELECT until_ms FROM auth_login_lock WHERE key = ?').pluck().get(throttleKey(username)) as number | undefined;
    return until !== undefined && until > this.now() ? until : null;
  }

  recordFailure(username: string): FailureOutcome {
    const key = throttleKey(username);
    const at = this.now();
    const { lockAfterFailures, windowMs, lockMs } = this.options;
    return this.db.transaction((): FailureOutcome => {
      this.db.prepare('DELETE FROM auth_login_failure WHERE key = ? AND time_ms <= ?').run(key, at - windowMs);
      this.db.prepare('INSERT INTO auth_login_failure (key, time_ms) VALUES (?, ?)').run(key, at);
      const failures = this.db.prepare('SELECT COUNT(*) FROM auth_login_failure WHERE key = ?').pluck().get(key) as number;
      const delayMs = this.delayFor(failures);
      if (failures < lockAfterFailures) return { locked: false, failures, delayMs };
      const untilMs = at + lockMs;
      // The count starts over once the lock is served: the next guesser gets the same few tries, no more.
      this.db.prepare('DELETE FROM auth_login_failure WHERE key = ?').run(key);
      this.db
        .prepare('INSERT INTO auth_login_lock (key, until_ms, failures) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET until_ms = excluded.until_ms, failures = excluded.failures')
        .run(key, untilMs, failures);
      return { locked: true, failures, untilMs, delayMs };
    })();
  }

  /** A successful login forgets earlier failures. */
  recordSuccess(username: string): void {
    this.forget(username);
  }

  forget(username: string): void {
    const key = throttleKey(username);
    this.db.prepare('DELETE FROM auth_login_failure WHERE key = ?').run(key);
    this.db.prepare('DELETE FROM auth_login_lock WHERE key = ?').run(key);
  }

  /** Drops failures and locks that no longer count, so guessed names do not pile up. */
  prune(): void {
    const at = this.now();
    this.db.prepare('DELETE FROM auth_login_failure WHERE time_ms <= ?').run(at - this.options.windowMs);
    this.db.prepare('DELETE FROM auth_login_lock WHERE until_ms <= ?').run(at);
  }

  get lockAfterFailures(): number {
    return this.options.lockAfterFailures;
  }

  get maxDelayMs(): number {
    return this.options.maxDelayMs;
  }

  private delayFor(failures: number): number {
    return Math.min(this.options.maxDelayMs, failures * this.options.delayStepMs);
  }
}
