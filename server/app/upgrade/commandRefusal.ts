import { ApActionError } from '../../orchestrator/apActions';
import { RolloutConflictError } from '../../orchestrator/rollout';
import { ScheduleConflictError } from '../../orchestrator/scheduler';
import { UpgradeConflictError } from '../../orchestrator/upgradeConflicts';
import { refused, type Refused } from '../result';

/** A command the upgrade's state refused, as a domain error; anything else is unexpected and thrown on. */
export function commandRefusal(error: unknown): Refused {
  if (error instanceof ApActionError) return refused(error.missing ? 'notFound' : 'conflict', error.said ?? error.message);
  if (error instanceof UpgradeConflictError || error instanceof RolloutConflictError || error instanceof ScheduleConflictError) return refused('conflict', error.said ?? error.message);
  throw error;
}
