import { toFieldIssues } from '../../../lib/imageDownloadProfile';
import { AUTH_REFUSALS } from '../../../lib/validations/authRefusals';
import { changePasswordSchema } from '../../../lib/validations/authSchemas';
import { passwordPolicyProblem } from '../../../lib/validations/passwordPolicy';
import { inTransaction } from '../../store/store';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import { ok, refused, type Result } from '../result';
import { accountRefused, passwordRefused, refusedUnlessAdmin, sameUser, type UserAccountsDeps } from './userAccountsDeps';

/**
 * Sets a password: administrators for anyone, every user for themselves. All other sessions of that user
 * end (`keepSessionId`, the caller's own, stays when it is their own account), so a stolen session does not
 * outlive the change. One's own password changes only with the current one, so an unattended open session
 * cannot take the account over.
 */
export async function changePassword(deps: UserAccountsDeps, username: string, input: unknown, actor: Actor, keepSessionId?: string): Promise<Result<{ username: string }>> {
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) return refused('invalid', AUTH_REFUSALS.invalidPassword(), { issues: toFieldIssues(parsed.error), details: { code: 'invalidPassword' } });
  const { password, currentPassword } = parsed.data;
  const self = sameUser(username, actor.username);
  if (!self) {
    const denied = await refusedUnlessAdmin(deps, actor);
    if (denied) return denied;
  }
  const problem = passwordPolicyProblem(password, username);
  if (problem) return passwordRefused('password', problem);
  if (!(await deps.users.find(deps.db, username))) return accountRefused('notFound', 'noSuchUser', username);
  if (self) {
    const wrong = await deps.checkCurrentPassword(username, currentPassword, actor.sourceAddress);
    if (wrong) return wrong.locked ? refused('locked', wrong.message) : passwordRefused('currentPassword', wrong.message);
  }
  const hash = await deps.hashPassword(password);
  return inTransaction(deps.db, async (tx): Promise<Result<{ username: string }>> => {
    // Looked up again: the account may have been removed while the password was being hashed.
    const target = await deps.users.find(tx, username);
    if (!target) return accountRefused('notFound', 'noSuchUser', username);
    await deps.users.setPasswordHash(tx, target.username, hash);
    await deps.forgetFailures(tx, target.username);
    await deps.endSessions(tx, target.username, 'password', self ? keepSessionId : undefined);
    await deps.audit.record(auditedBy(actor, 'user.password', self ? 'own password' : `for ${target.username}`), tx);
    return ok({ username: target.username });
  });
}
