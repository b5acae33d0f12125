import type { UpgradeOrchestrator } from '../../orchestrator/upgradeOrchestrator';
import type { AuditWriteBehind } from '../audit/auditWriteBehind';

/** What the commands on an accepted upgrade need: the orchestrator's commands, and the audit lines written in their flush. */
export interface UpgradeCommandDeps {
  orchestrator: UpgradeOrchestrator;
  stagedAudit: AuditWriteBehind;
}
