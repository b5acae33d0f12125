import { loginThrottleRows } from '../store/loginThrottleRepository';
import { inTransaction, type Executor } from '../store/store';

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
    private readonly db: Executor,
    private readonly options: LoginThrottleOptions = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** When the name is locked, until when (epoch ms); otherwise null. */
  async lockedUntil(username: string): Promise<number | null> {
    const until = await loginThrottleRows.lockedUntil(this.db, throttleKey(username));
    return until !== null && until > this.now() ? until : null;
  }

  recordFailure(username: string): Promise<FailureOutcome> {
    const key = throttleKey(username);
    const at = this.now();
    const { lockAfterFailures, windowMs, lockMs } = this.options;
    return inTransaction(this.db, async (tx): Promise<FailureOutcome> => {
      const failures = await loginThrottleRows.addFailure(tx, key, at, at - windowMs);
      const delayMs = this.delayFor(failures);
      if (failures < lockAfterFailures) return { locked: false, failures, delayMs };
      const untilMs = at + lockMs;
      // The count starts over once the lock is served: the next guesser gets the same few tries, no more.
      await loginThrottleRows.lock(tx, key, untilMs, failures);
      return { locked: true, failures, untilMs, delayMs };
    });
  }

  /** A successful login forgets earlier failures. */
  recordSuccess(username: string): Promise<void> {
    return this.forget(username);
  }

  /** `db` may be the transaction of an account change. */
  forget(username: string, db: Executor = this.db): Promise<void> {
    return loginThrottleRows.forget(db, throttleKey(username));
  }

  /** Drops failures and locks that no longer count, so guessed names do not pile up. */
  prune(): Promise<void> {
    const at = this.now();
    return loginThrottleRows.prune(this.db, at - this.options.windowMs, at);
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
