import { siteTagSchema } from '../../../lib/rollout';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import { refused, type Result } from '../result';
import { commandRefusal } from './commandRefusal';
import type { UpgradeCommandDeps } from './upgradeCommandDeps';

/** `cancelled` when the predownload was that site tag's alone (it ends as Cancel ends it); else the names of the APs stopped. */
export interface SiteTagAbort {
  cancelled: boolean;
  aborted: string[];
}

/** `ap image predownload site-tag NAME abort`; what it stops and its audit lines commit in one flush. */
export async function abortSiteTag(deps: UpgradeCommandDeps, rawSiteTag: string, actor: Actor): Promise<Result<SiteTagAbort>> {
  const siteTag = siteTagSchema.safeParse(rawSiteTag);
  if (!siteTag.success) return refused('invalid', siteTag.error.issues[0].message);
  const { orchestrator } = deps;
  const upgradeId = orchestrator.view().upgradeId;
  try {
    const stopped = await deps.stagedAudit.changeAudited(
      () => orchestrator.commands.abortSiteTagNow(siteTag.data),
      (aps) =>
        aps === null
          ? [auditedBy(actor, 'upgrade.cancel', `upgrade ${upgradeId} (site tag ${siteTag.data})`)]
          : aps.map((ap) => auditedBy(actor, 'ap.abort', `${ap.name} ${ap.mac} (site tag ${siteTag.data})`)),
    );
    return { ok: true, value: stopped === null ? { cancelled: true, aborted: [] } : { cancelled: false, aborted: stopped.map((ap) => ap.name) } };
  } catch (error) {
    return commandRefusal(error);
  }
}
