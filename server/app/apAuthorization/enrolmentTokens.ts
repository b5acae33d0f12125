import { createEnrolmentTokenSchema, type EnrolmentTokenView } from '../../../lib/apAuthorization';
import { toFieldIssues } from '../../../lib/imageDownloadProfile';
import { sentence } from '../../../lib/serverSentences';
import { inTransaction } from '../../store/store';
import type { Actor } from '../actor';
import { auditedBy } from '../audit/auditLog';
import { ok, refused, type Result } from '../result';
import type { ApAuthorizationDeps } from './apAuthorizationDeps';

/** A one-time enrolment token; its text is in this answer only. The token and its audit line commit together. */
export async function createEnrolmentToken(deps: ApAuthorizationDeps, input: unknown, actor: Actor): Promise<Result<{ token: string; view: EnrolmentTokenView }>> {
  const parsed = createEnrolmentTokenSchema.safeParse(input ?? {});
  if (!parsed.success) return refused('invalid', sentence('enrolmentTokenInvalid'), { issues: toFieldIssues(parsed.error) });
  const request = parsed.data;
  return ok(
    await inTransaction(deps.db, async (tx) => {
      const created = await deps.trust.createToken(request, actor.username, tx);
      const { view } = created;
      await deps.audit.record(auditedBy(actor, 'ap.token.create', `token ${view.id}${view.mac ? ` for ${view.mac}` : ''}, valid until ${view.expiresAt}`), tx);
      return created;
    }),
  );
}

/** Deletes an enrolment token (used or not); the delete and its audit line commit together. */
export async function deleteEnrolmentToken(deps: ApAuthorizationDeps, rawId: string, actor: Actor): Promise<Result<{ id: number }>> {
  const id = Number(rawId);
  if (!Number.isInteger(id) || id < 1) return refused('invalid', sentence('tokenIdInvalid'));
  const done = await inTransaction(deps.db, async (tx) => {
    const deleted = await deps.trust.deleteToken(id, tx);
    if (deleted) await deps.audit.record(auditedBy(actor, 'ap.token.delete', `token ${id}`), tx);
    return deleted;
  });
  return done ? ok({ id }) : refused('notFound', sentence('noEnrolmentToken', { id }));
}
