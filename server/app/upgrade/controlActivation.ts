import type { UpgradeView } from '../../../lib/upgradeStage';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import type { Result } from '../result';
import { commandRefusal } from './commandRefusal';
import type { UpgradeCommandDeps } from './upgradeCommandDeps';

export type ActivationControl = 'pause' | 'resume' | 'abort';

/** Pause, Resume or Abort of the activation under way; the change and its audit line commit in one flush. */
export async function controlActivation(deps: UpgradeCommandDeps, action: ActivationControl, actor: Actor): Promise<Result<UpgradeView>> {
  const { orchestrator } = deps;
  try {
    await deps.stagedAudit.changeAudited(
      () => orchestrator.commands.activationNow(action, { reason: `paused by ${actor.username}` }),
      () => [auditedBy(actor, `upgrade.${action}`, `upgrade ${orchestrator.view().upgradeId}`)],
    );
  } catch (error) {
    return commandRefusal(error);
  }
  return { ok: true, value: orchestrator.view() };
}
