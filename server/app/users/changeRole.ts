import { toFieldIssues } from '../../../lib/imageDownloadProfile';
import { changeRoleSchema } from '../../../lib/validations/authSchemas';
import { inTransaction } from '../../store/store';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import { ok, refused, type Result } from '../result';
import { accountRefused, refusedUnlessAdmin, type UserAccountsDeps } from './userAccountsDeps';

/** Promotes or demotes (administrators only); the console always keeps at least one administrator. */
export async function changeRole(deps: UserAccountsDeps, username: string, input: unknown, actor: Actor): Promise<Result<{ username: string }>> {
  const denied = await refusedUnlessAdmin(deps, actor);
  if (denied) return denied;
  const parsed = changeRoleSchema.safeParse(input);
  if (!parsed.success) return refused('invalid', 'Role must be admin or monitor', { issues: toFieldIssues(parsed.error) });
  const { role } = parsed.data;
  // The checks read the rows the change depends on in its own transaction, so two demotions cannot both pass them.
  return inTransaction(deps.db, async (tx): Promise<Result<{ username: string }>> => {
    const target = await deps.users.find(tx, username);
    if (!target) return accountRefused('notFound', 'noSuchUser', username);
    if (target.role === role) return ok({ username: target.username });
    if (target.role === 'admin' && (await deps.users.countAdmins(tx)) <= 1) return refused('conflict', 'The last administrator cannot be demoted');
    await deps.users.setRole(tx, target.username, role);
    // Open pages and sockets were set up for the old role; logging in again gives the new one everywhere.
    await deps.endSessions(tx, target.username, 'role');
    await deps.audit.record(auditedBy(actor, 'user.role', `${target.username} ${target.role} -> ${role}`), tx);
    return ok({ username: target.username });
  });
}
