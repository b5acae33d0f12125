import type { UpgradeView } from '../../../lib/upgradeStage';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import type { Result } from '../result';
import { commandRefusal } from './commandRefusal';
import type { UpgradeCommandDeps } from './upgradeCommandDeps';

/** The page's Cancel (the CLI's `ap image predownload abort`): every AP of the predownload stops; the cancel and its audit line commit in one flush. */
export async function cancelPredownload(deps: UpgradeCommandDeps, actor: Actor): Promise<Result<UpgradeView>> {
  const { orchestrator } = deps;
  try {
    await deps.stagedAudit.changeAudited(
      () => orchestrator.commands.cancelNow(),
      () => [auditedBy(actor, 'upgrade.cancel', `upgrade ${orchestrator.view().upgradeId}`)],
    );
  } catch (error) {
    return commandRefusal(error);
  }
  return { ok: true, value: orchestrator.view() };
}
