import { HOSTNAME_PATTERN } from '../../../lib/hostName';
import { inTransaction, type Executor } from '../../store/store';
import type { Actor } from '../actor';
import { auditedBy, type AuditLog } from '../audit/auditLog';
import { ok, refused, type Result } from '../result';

/** The prompt's host name as the use case sees it (the CLI's HostnameStore). */
export interface HostnameSetting {
  /** Stores the name (null: back to the default) in `db`; the prompt shows it once `db` has committed. */
  set(name: string | null, db: Executor): Promise<void>;
  /** The name the prompt shows when none is set. */
  defaultName(): string;
}

export interface ChangeHostnameDeps {
  db: Executor;
  hostnames: HostnameSetting;
  audit: AuditLog;
}

/** `hostname NAME` and `no hostname`: the name and its audit line commit together. */
export async function changeHostname(deps: ChangeHostnameDeps, name: string | null, actor: Actor): Promise<Result<{ name: string | null }>> {
  if (name !== null && !HOSTNAME_PATTERN.test(name)) return refused('invalid', 'A host name is letters, digits and inner hyphens, 63 characters at most.');
  await inTransaction(deps.db, async (tx) => {
    await deps.hostnames.set(name, tx);
    await deps.audit.record(auditedBy(actor, 'cli.hostname', name ?? `default (${deps.hostnames.defaultName()})`), tx);
  });
  return ok({ name });
}
