import type { RequestActor } from '../../lib/requestActor';
import type { LoggingService } from '../syslog/loggingService';
import type { ApiResult } from './apiResult';

/** `GET /api/logging` (anyone logged in) and `PUT /api/logging` (admin): the page's Logging settings over the service the CLI uses. */
export class LoggingApi {
  constructor(private readonly logging: LoggingService) {}

  get(): ApiResult {
    return { status: 200, body: this.logging.view() };
  }

  async save(body: unknown, actor: RequestActor): Promise<ApiResult> {
    const result = await this.logging.save(body, actor);
    return result.ok ? { status: 200, body: result.view } : { status: 400, body: { error: result.error, issues: result.issues } };
  }
}
