import type { ActivateDeps } from './upgrade/activate';
import type { ChangeScheduleDeps } from './schedule/changeSchedule';
import type { StartPredownloadDeps } from './upgrade/startPredownload';

/** Everything the use cases need, filled once by createConsole; each use case reads only its own part. */
export type AppDeps = StartPredownloadDeps & ActivateDeps & ChangeScheduleDeps;
