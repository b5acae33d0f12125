import { apAuthorizationChangeSchema } from '../../../lib/apAuthorization';
import { toFieldIssues } from '../../../lib/imageDownloadProfile';
import { macSchema } from '../../../lib/macAddress';
import { sentence } from '../../../lib/serverSentences';
import { inTransaction } from '../../store/store';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import { notAMacMessage } from '../upgrade/apAction';
import { ok, refused, type Result } from '../result';
import type { ApAuthorizationDeps } from './apAuthorizationDeps';

/** Approves or revokes an AP on the authorization list; the status and its audit line commit together. */
export async function changeApAuthorization(deps: ApAuthorizationDeps, rawMac: string, input: unknown, actor: Actor): Promise<Result<{ mac: string }>> {
  const parsedMac = macSchema.safeParse(rawMac);
  if (!parsedMac.success) return refused('invalid', notAMacMessage(rawMac));
  const mac = parsedMac.data;
  const parsed = apAuthorizationChangeSchema.safeParse(input);
  if (!parsed.success) return refused('invalid', sentence('apChangeInvalid'), { issues: toFieldIssues(parsed.error) });
  const approve = parsed.data.status === 'approved';
  const done = await inTransaction(deps.db, async (tx) => {
    const changed = approve ? await deps.trust.approve(mac, actor.username, tx) : await deps.trust.revoke(mac, actor.username, tx);
    if (changed) await deps.audit.record(auditedBy(actor, approve ? 'ap.approve' : 'ap.revoke', mac), tx);
    return changed;
  });
  return done ? ok({ mac }) : refused('notFound', sentence('apNotOnList', { mac }));
}
