import { toFieldIssues } from '../../../lib/imageDownloadProfile';
import { AUTH_REFUSALS } from '../../../lib/validations/authRefusals';
import { createUserSchema, type UserView } from '../../../lib/validations/authSchemas';
import { inTransaction } from '../../store/store';
import { toUserView } from '../../store/userRepository';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import { ok, refused, type Result } from '../result';
import { accountRefused, refusedUnlessAdmin, type UserAccountsDeps } from './userAccountsDeps';

/** A new account (administrators only); the account and its audit line commit together. */
export async function createUser(deps: UserAccountsDeps, input: unknown, actor: Actor): Promise<Result<UserView>> {
  const parsed = createUserSchema.safeParse(input);
  if (!parsed.success) return refused('invalid', AUTH_REFUSALS.invalidUser(), { issues: toFieldIssues(parsed.error), details: { code: 'invalidUser' } });
  const denied = await refusedUnlessAdmin(deps, actor);
  if (denied) return denied;
  const { username, password, role } = parsed.data;
  if (await deps.users.find(deps.db, username)) return accountRefused('conflict', 'userExists', username);
  // Hashed before the transaction opens: nothing slow runs inside one.
  const hash = await deps.hashPassword(password);
  const user = await inTransaction(deps.db, async (tx) => {
    const inserted = await deps.users.insert(tx, username, role, hash);
    if (inserted) await deps.audit.record(auditedBy(actor, 'user.create', `${inserted.username} (${inserted.role})`), tx);
    return inserted;
  });
  // Someone created the same name while the password was being hashed.
  return user ? ok(toUserView(user)) : accountRefused('conflict', 'userExists', username);
}
