import type { RequestActor } from '../../lib/requestActor';
import { refusalBody, sentence } from '../../lib/serverSentences';
import type { SshKeys } from '../accounts/sshKeys';
import { actorVia } from '../app/actor';
import { addSshKey, removeSshKey, type SshKeyDeps } from '../app/users/sshKeyChanges';
import type { AuthService } from '../auth/authService';
import type { ApiResult } from './apiResult';
import { answer } from './domainResult';

/** The SSH public keys an admin gives an account for the CLI: `GET/POST /api/users/NAME/ssh-keys`, `DELETE …/ssh-keys/ID`. */
export class SshKeysApi {
  private readonly deps: SshKeyDeps;

  constructor(
    private readonly keys: SshKeys,
    auth: AuthService,
  ) {
    const { db, users, audit } = auth.accounts;
    this.deps = { db, users, keys, audit };
  }

  async list(username: string): Promise<ApiResult> {
    const user = await this.deps.users.find(this.deps.db, username);
    if (!user) return { status: 404, body: refusalBody(sentence('noUser', { username })) };
    return { status: 200, body: { keys: await this.keys.list(user.username) } };
  }

  async add(username: string, body: unknown, actor: RequestActor): Promise<ApiResult> {
    return answer(await addSshKey(this.deps, username, body, actorVia(actor, 'api')), 201, (key) => ({ key }));
  }

  async remove(username: string, id: string, actor: RequestActor): Promise<ApiResult> {
    return answer(await removeSshKey(this.deps, username, id, actorVia(actor, 'api')), 200, () => ({ ok: true }));
  }
}
