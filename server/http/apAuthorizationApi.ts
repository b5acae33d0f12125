import { apAuthorizationChangeSchema, createEnrolmentTokenSchema, type ApAuthorizationView } from '../../lib/apAuthorization';
import { macSchema } from '../../lib/macAddress';
import { toFieldIssues } from '../../lib/imageDownloadProfile';
import { auditedBy, type AuditLog } from '../app/audit/auditLog';
import { refusalBody, sentence } from '../../lib/serverSentences';
import type { ApTrust } from '../pki/apTrust';
import { notAMac, type ApiResult } from './apiResult';
import type { RequestActor } from '../../lib/requestActor';

type Presence = (mac: string) => { connected: boolean; name: string | null };

/** The AP authorization list and enrolment tokens behind `/api/ap-authorization` (admin only, by the access policy). */
export class ApAuthorizationApi {
  constructor(
    private readonly trust: ApTrust,
    private readonly audit: AuditLog,
    private readonly presence: Presence,
  ) {}

  async list(): Promise<ApiResult> {
    const aps: ApAuthorizationView[] = (await this.trust.list()).map((record) => {
      const { certSerial: _serial, ...view } = record;
      return { ...view, ...this.presence(record.mac) };
    });
    return { status: 200, body: { aps, tokens: await this.trust.tokens() } };
  }

  async change(macParam: string, body: unknown, actor: RequestActor): Promise<ApiResult> {
    const parsedMac = macSchema.safeParse(macParam);
    if (!parsedMac.success) return notAMac(macParam);
    const mac = parsedMac.data;
    const parsed = apAuthorizationChangeSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: refusalBody(sentence('apChangeInvalid'), { issues: toFieldIssues(parsed.error) }) };
    const done = parsed.data.status === 'approved' ? await this.trust.approve(mac, actor.username) : await this.trust.revoke(mac, actor.username);
    if (!done) return { status: 404, body: refusalBody(sentence('apNotOnList', { mac })) };
    await this.audit.record(auditedBy(actor, parsed.data.status === 'approved' ? 'ap.approve' : 'ap.revoke', mac));
    return { status: 200, body: { ok: true } };
  }

  async remove(macParam: string, actor: RequestActor): Promise<ApiResult> {
    const parsedMac = macSchema.safeParse(macParam);
    if (!parsedMac.success) return notAMac(macParam);
    const mac = parsedMac.data;
    if (!(await this.trust.remove(mac, actor.username))) return { status: 404, body: refusalBody(sentence('apNotOnList', { mac })) };
    await this.audit.record(auditedBy(actor, 'ap.delete', mac));
    return { status: 200, body: { ok: true } };
  }

  /** The token's text is in this answer only; the list shows its use, never the token. */
  async createToken(body: unknown, actor: RequestActor): Promise<ApiResult> {
    const parsed = createEnrolmentTokenSchema.safeParse(body ?? {});
    if (!parsed.success) return { status: 400, body: refusalBody(sentence('enrolmentTokenInvalid'), { issues: toFieldIssues(parsed.error) }) };
    const { token, view } = await this.trust.createToken(parsed.data, actor.username);
    await this.audit.record({
      username: actor.username,
      sourceAddress: actor.sourceAddress,
      action: 'ap.token.create',
      detail: `token ${view.id}${view.mac ? ` for ${view.mac}` : ''}, valid until ${view.expiresAt}`,
    });
    return { status: 201, body: { token, enrolmentToken: view } };
  }

  async deleteToken(idParam: string, actor: RequestActor): Promise<ApiResult> {
    const id = Number(idParam);
    if (!Number.isInteger(id) || id < 1) return { status: 400, body: refusalBody(sentence('tokenIdInvalid')) };
    if (!(await this.trust.deleteToken(id))) return { status: 404, body: refusalBody(sentence('noEnrolmentToken', { id })) };
    await this.audit.record(auditedBy(actor, 'ap.token.delete', `token ${id}`));
    return { status: 200, body: { ok: true } };
  }
}
