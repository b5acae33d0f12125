import { toFieldIssues } from '../../../lib/imageDownloadProfile';
import { sentence } from '../../../lib/serverSentences';
import { sshPublicKeyInputSchema, type SshKeyView } from '../../../lib/sshKeys';
import { parsePublicKeyLine, type SshKeys } from '../../accounts/sshKeys';
import { inTransaction, type Executor } from '../../store/store';
import type { UserRepository } from '../../store/userRepository';
import type { Actor } from '../actor';
import { auditedBy, type AuditLog } from '../audit/auditLog';
import { ok, refused, type Result } from '../result';

export interface SshKeyDeps {
  db: Executor;
  users: UserRepository;
  keys: SshKeys;
  audit: AuditLog;
}

/** Gives an account an SSH public key for the CLI; the key and its audit line commit together. */
export async function addSshKey(deps: SshKeyDeps, username: string, input: unknown, actor: Actor): Promise<Result<SshKeyView>> {
  const parsed = sshPublicKeyInputSchema.safeParse(input);
  if (!parsed.success) return refused('invalid', sentence('publicKeyInvalid'), { issues: toFieldIssues(parsed.error) });
  const user = (await deps.users.find(deps.db, username))?.username;
  if (!user) return refused('notFound', sentence('noUser', { username }));
  const key = parsePublicKeyLine(parsed.data.publicKey);
  if (!key.ok) return refused('invalid', key.said, { issues: [{ path: 'publicKey', message: key.message }] });
  const added = await inTransaction(deps.db, async (tx) => {
    const row = await deps.keys.add(user, key.key, key.blob, tx);
    if (row) await deps.audit.record(auditedBy(actor, 'user.sshKey.add', `${user} ${row.keyType} ${row.fingerprint}`), tx);
    return row;
  });
  return added ? ok(added) : refused('conflict', sentence('sshKeyExists', { username: user }));
}

/** Takes one SSH public key from an account; the delete and its audit line commit together. */
export async function removeSshKey(deps: SshKeyDeps, username: string, rawId: string, actor: Actor): Promise<Result<{ fingerprint: string }>> {
  const user = (await deps.users.find(deps.db, username))?.username;
  const keyId = /^\d{1,12}$/.test(rawId) ? Number(rawId) : null;
  const fingerprint =
    user && keyId !== null
      ? await inTransaction(deps.db, async (tx) => {
          const removed = await deps.keys.remove(user, keyId, tx);
          if (removed) await deps.audit.record(auditedBy(actor, 'user.sshKey.remove', `${user} ${removed}`), tx);
          return removed;
        })
      : null;
  return fingerprint ? ok({ fingerprint }) : refused('notFound', sentence('noSshKey', { username }));
}
