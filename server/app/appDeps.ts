import type { BundleApprovals } from './trust/approveBundle';
import type { ActivateDeps } from './upgrade/activate';
import type { ChangeScheduleDeps } from './schedule/changeSchedule';
import type { RunScheduledActionDeps } from './schedule/runScheduledAction';
import type { StartPredownloadDeps } from './upgrade/startPredownload';

/** Everything the use cases need, filled once by createConsole; each use case reads only its own part. */
export type AppDeps = StartPredownloadDeps &
  ActivateDeps &
  ChangeScheduleDeps &
  RunScheduledActionDeps & {
    /** The bundle approvals, one instance for every surface (it serialises them). */
    approvals: BundleApprovals;
  };
