import { auditedBy } from '../app/audit/auditLog';
import { sshPublicKeyInputSchema } from '../../lib/sshKeys';
import { toFieldIssues } from '../../lib/imageDownloadProfile';
import { refusalBody, sentence } from '../../lib/serverSentences';
import type { AuthService } from '../auth/authService';
import { parsePublicKeyLine, type SshKeys } from '../cli/sshKeys';
import type { ApiResult } from './apiResult';
import type { RequestActor } from '../../lib/requestActor';

/** The SSH public keys an admin gives an account for the CLI: `GET/POST /api/users/NAME/ssh-keys`, `DELETE …/ssh-keys/ID`. */
export class SshKeysApi {
  constructor(
    private readonly keys: SshKeys,
    private readonly auth: AuthService,
  ) {}

  async list(username: string): Promise<ApiResult> {
    const user = await this.user(username);
    if (!user) return { status: 404, body: refusalBody(sentence('noUser', { username })) };
    return { status: 200, body: { keys: await this.keys.list(user) } };
  }

  async add(username: string, body: unknown, actor: RequestActor): Promise<ApiResult> {
    const parsed = sshPublicKeyInputSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: refusalBody(sentence('publicKeyInvalid'), { issues: toFieldIssues(parsed.error) }) };
    const user = await this.user(username);
    if (!user) return { status: 404, body: refusalBody(sentence('noUser', { username })) };
    const key = parsePublicKeyLine(parsed.data.publicKey);
    if (!key.ok) return { status: 400, body: refusalBody(key.said, { issues: [{ path: 'publicKey', message: key.message }] }) };
    const added = await this.keys.add(user, key.key, key.blob);
    if (!added) return { status: 409, body: refusalBody(sentence('sshKeyExists', { username: user })) };
    await this.auth.audit.record(auditedBy(actor, 'user.sshKey.add', `${user} ${added.keyType} ${added.fingerprint}`));
    return { status: 201, body: { key: added } };
  }

  async remove(username: string, id: string, actor: RequestActor): Promise<ApiResult> {
    const user = await this.user(username);
    const keyId = /^\d{1,12}$/.test(id) ? Number(id) : null;
    const fingerprint = user && keyId !== null ? await this.keys.remove(user, keyId) : null;
    if (!user || !fingerprint) return { status: 404, body: refusalBody(sentence('noSshKey', { username })) };
    await this.auth.audit.record(auditedBy(actor, 'user.sshKey.remove', `${user} ${fingerprint}`));
    return { status: 200, body: { ok: true } };
  }

  /** The account's name as stored (names compare case-insensitively), or null. */
  private async user(username: string): Promise<string | null> {
    return (await this.auth.listUsers()).find((u) => u.username.toLowerCase() === username.toLowerCase())?.username ?? null;
  }
}
