import type { CatalogCheckResult } from '../../../lib/firmwareCatalog';
import type { CatalogCheckService } from '../../catalog/catalogCheckService';
import { ok, type Result } from '../result';

export interface CheckForNewVersionDeps {
  checks: Pick<CatalogCheckService, 'check'>;
}

/**
 * Check for New Version now. It changes no configuration, so it writes no audit line (the event log says it
 * ran, and what it found); who asked is not recorded, as before. A failed check is still an answer: its
 * message says why, as the page shows it, so this never refuses.
 */
export async function checkForNewVersion(deps: CheckForNewVersionDeps): Promise<Result<CatalogCheckResult>> {
  return ok(await deps.checks.check());
}
