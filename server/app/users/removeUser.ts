import { inTransaction } from '../../store/store';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import { ok, type Result } from '../result';
import { accountRefused, refusedUnlessAdmin, sameUser, type UserAccountsDeps } from './userAccountsDeps';

/** Removes an account (administrators only, never one's own nor the last administrator); its sessions end with it. */
export async function removeUser(deps: UserAccountsDeps, username: string, actor: Actor): Promise<Result<{ username: string }>> {
  const denied = await refusedUnlessAdmin(deps, actor);
  if (denied) return denied;
  // The checks read the rows the change depends on in its own transaction, so two removals cannot both pass them.
  return inTransaction(deps.db, async (tx): Promise<Result<{ username: string }>> => {
    const target = await deps.users.find(tx, username);
    if (!target) return accountRefused('notFound', 'noSuchUser', username);
    if (sameUser(target.username, actor.username)) return accountRefused('conflict', 'ownAccount', username);
    if (target.role === 'admin' && (await deps.users.countAdmins(tx)) <= 1) return accountRefused('conflict', 'lastAdmin', username);
    // Sessions go first so that the socket layer hears about every one of them; the row delete would cascade silently.
    await deps.endSessions(tx, target.username, 'removed');
    await deps.users.delete(tx, target.username);
    await deps.forgetFailures(tx, target.username);
    await deps.audit.record(auditedBy(actor, 'user.remove', target.username), tx);
    return ok({ username: target.username });
  });
}
