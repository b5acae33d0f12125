import { macSchema } from '../../../lib/macAddress';
import type { AccessPointRecord } from '../../store/accessPointRepository';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import { refused, type Result } from '../result';
import { commandRefusal } from './commandRefusal';
import type { UpgradeCommandDeps } from './upgradeCommandDeps';

export type ApActionName = 'retry' | 'abort' | 'exclude' | 'include';

/** The same words on every route whose path names a MAC that is none. */
export function notAMacMessage(raw: string): string {
  return `Not a MAC address: ${raw.slice(0, 40)}`;
}

/** Retry now, Abort, Exclude from or Include in the activation, for one AP; the change and its audit line commit in one flush. */
export async function apAction(deps: UpgradeCommandDeps, rawMac: string, action: ApActionName, actor: Actor): Promise<Result<AccessPointRecord>> {
  const mac = macSchema.safeParse(rawMac);
  if (!mac.success) return refused('invalid', notAMacMessage(rawMac));
  const actions = deps.orchestrator.apActions;
  try {
    const ap = await deps.stagedAudit.changeAudited(
      () => (action === 'retry' ? actions.retryNow(mac.data) : action === 'abort' ? actions.abort(mac.data) : actions.exclude(mac.data, action === 'exclude')),
      (changed) => [auditedBy(actor, `ap.${action}`, `${changed.name} ${changed.mac}`)],
    );
    return { ok: true, value: ap };
  } catch (error) {
    return commandRefusal(error);
  }
}
