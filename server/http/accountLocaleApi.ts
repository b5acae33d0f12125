import { accountLocaleSchema, type Locale } from '../../lib/locale';
import type { RequestActor } from '../../lib/requestActor';
import { toFieldIssues } from '../../lib/imageDownloadProfile';
import { AUTH_REFUSALS } from '../../lib/validations/authRefusals';
import { FIELD_MESSAGES } from '../../lib/validations/fieldMessages';
import type { Executor } from '../store/store';
import { UserRepository } from '../store/userRepository';
import type { ApiResult } from './apiResult';

/**
 * The page's language remembered per account: the picker saves it (`PUT /api/auth/locale`, any logged-in
 * user, for their own account), and every page of that account is then served in it, in any browser.
 */
export class AccountLocaleApi {
  private readonly users = new UserRepository();

  constructor(private readonly db: Executor) {}

  async save(body: unknown, actor: RequestActor): Promise<ApiResult> {
    const parsed = accountLocaleSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: { error: FIELD_MESSAGES.localeInvalid, issues: toFieldIssues(parsed.error), code: 'localeInvalid' } };
    // The session's account may have been removed since the gate let the request through.
    if (!(await this.users.setLocale(this.db, actor.username, parsed.data.locale))) return { status: 404, body: { error: AUTH_REFUSALS.noSuchUser(actor.username), code: 'noSuchUser' } };
    return { status: 200, body: { locale: parsed.data.locale } };
  }

  /** The language this account chose last, or null (the browser's choice serves). */
  async localeOf(username: string): Promise<Locale | null> {
    return (await this.users.find(this.db, username))?.locale ?? null;
  }
}
