import { macSchema } from '../../../lib/macAddress';
import { sentence } from '../../../lib/serverSentences';
import { inTransaction } from '../../store/store';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import { notAMacMessage } from '../upgrade/apAction';
import { ok, refused, type Result } from '../result';
import type { ApAuthorizationDeps } from './apAuthorizationDeps';

/** Deletes an AP from the authorization list (its certificate is refused from then on); the delete and its audit line commit together. */
export async function deleteApAuthorization(deps: ApAuthorizationDeps, rawMac: string, actor: Actor): Promise<Result<{ mac: string }>> {
  const parsedMac = macSchema.safeParse(rawMac);
  if (!parsedMac.success) return refused('invalid', notAMacMessage(rawMac));
  const mac = parsedMac.data;
  const done = await inTransaction(deps.db, async (tx) => {
    const deleted = await deps.trust.remove(mac, actor.username, tx);
    if (deleted) await deps.audit.record(auditedBy(actor, 'ap.delete', mac), tx);
    return deleted;
  });
  return done ? ok({ mac }) : refused('notFound', sentence('apNotOnList', { mac }));
}
