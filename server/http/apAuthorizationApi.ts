import type { ApAuthorizationView } from '../../lib/apAuthorization';
import type { RequestActor } from '../../lib/requestActor';
import { actorVia } from '../app/actor';
import type { ApAuthorizationDeps } from '../app/apAuthorization/apAuthorizationDeps';
import { changeApAuthorization } from '../app/apAuthorization/changeApAuthorization';
import { deleteApAuthorization } from '../app/apAuthorization/deleteApAuthorization';
import { createEnrolmentToken, deleteEnrolmentToken } from '../app/apAuthorization/enrolmentTokens';
import type { ApiResult } from './apiResult';
import { answer } from './domainResult';

const done = (): { ok: true } => ({ ok: true });

type Presence = (mac: string) => { connected: boolean; name: string | null };

/** The AP authorization list and enrolment tokens behind `/api/ap-authorization` (admin only, by the access policy). */
export class ApAuthorizationApi {
  constructor(
    private readonly deps: ApAuthorizationDeps,
    private readonly presence: Presence,
  ) {}

  async list(): Promise<ApiResult> {
    const aps: ApAuthorizationView[] = (await this.deps.trust.list()).map((record) => {
      const { certSerial: _serial, ...view } = record;
      return { ...view, ...this.presence(record.mac) };
    });
    return { status: 200, body: { aps, tokens: await this.deps.trust.tokens() } };
  }

  async change(rawMac: string, body: unknown, actor: RequestActor): Promise<ApiResult> {
    return answer(await changeApAuthorization(this.deps, rawMac, body, actorVia(actor, 'api')), 200, done);
  }

  async remove(rawMac: string, actor: RequestActor): Promise<ApiResult> {
    return answer(await deleteApAuthorization(this.deps, rawMac, actorVia(actor, 'api')), 200, done);
  }

  /** The token's text is in this answer only; the list shows its use, never the token. */
  async createToken(body: unknown, actor: RequestActor): Promise<ApiResult> {
    return answer(await createEnrolmentToken(this.deps, body, actorVia(actor, 'api')), 201, ({ token, view }) => ({ token, enrolmentToken: view }));
  }

  async deleteToken(rawId: string, actor: RequestActor): Promise<ApiResult> {
    return answer(await deleteEnrolmentToken(this.deps, rawId, actorVia(actor, 'api')), 200, done);
  }
}
