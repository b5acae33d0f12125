import { checkForNewVersion } from '../app/catalog/checkForNewVersion';
import type { CatalogCheckService } from '../catalog/catalogCheckService';
import type { ApiResult } from './apiResult';
import { answer } from './domainResult';

/** `/api/software-upgrade/check`: Check for New Version now (POST), or the last check (GET). */
export class CatalogApi {
  constructor(private readonly checks: CatalogCheckService) {}

  async last(): Promise<ApiResult> {
    return { status: 200, body: await this.checks.last() };
  }

  /** A failed check is still an answer (200): its message says why, as the page shows it. */
  async check(): Promise<ApiResult> {
    return answer(await checkForNewVersion({ checks: this.checks }), 200);
  }
}
