import { AUTH_REFUSALS, type AuthRefusalCode } from '../../../lib/validations/authRefusals';
import { fieldMessageCode } from '../../../lib/validations/fieldMessages';
import type { Executor } from '../../store/store';
import type { UserRepository } from '../../store/userRepository';
import type { Actor } from '../actor';
import type { AuditLog } from '../audit/auditLog';
import { refused, type DomainErrorCode, type Refused } from '../result';

/** Why the sessions of an account end when someone changes it. */
export type AccountSessionEnd = 'removed' | 'password' | 'role';

/** Why one's own current password does not let a password change through: missing or wrong (a field), or the name is locked. */
export interface CurrentPasswordRefusal {
  locked: boolean;
  message: string;
}

/**
 * What the account use cases need. Logins, sessions and the lockout stay with AuthService, which fills this:
 * the use cases end sessions and forget failures inside their own transaction, and ask it to check a current password.
 */
export interface UserAccountsDeps {
  db: Executor;
  users: UserRepository;
  audit: AuditLog;
  /** Slow on purpose: always called before a transaction opens. */
  hashPassword(password: string): Promise<string>;
  /** Ends the user's sessions in `db` (all but `keepSessionId`); their sockets are told once `db` has committed. */
  endSessions(db: Executor, username: string, reason: AccountSessionEnd, keepSessionId?: string): Promise<void>;
  /** Forgets the name's failed logins, in `db`. */
  forgetFailures(db: Executor, username: string): Promise<void>;
  /** Checks one's own current password; a wrong one counts as a failed login (and is audited as one). */
  checkCurrentPassword(username: string, currentPassword: string | undefined, sourceAddress: string): Promise<CurrentPasswordRefusal | null>;
}

/** An account refusal with its stable code beside the English (the User Administration page says the code's words). */
export function accountRefused(code: DomainErrorCode, refusal: AuthRefusalCode, username: string): Refused {
  const say: (username: string) => string = AUTH_REFUSALS[refusal];
  return refused(code, say(username), { details: { code: refusal } });
}

/** A password field the change got wrong, as the page shows it under that field. */
export function passwordRefused(field: 'password' | 'currentPassword', message: string): Refused {
  const code = fieldMessageCode(message);
  return refused('invalid', AUTH_REFUSALS.invalidPassword(), {
    issues: [code ? { path: field, message, code } : { path: field, message }],
    details: { code: 'invalidPassword' },
  });
}

/** The actor's role as stored now, not as it was when their page loaded. */
export async function refusedUnlessAdmin(deps: UserAccountsDeps, actor: Actor): Promise<Refused | null> {
  const current = await deps.users.find(deps.db, actor.username);
  return current?.role === 'admin' ? null : accountRefused('forbidden', 'adminOnly', actor.username);
}

export function sameUser(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
