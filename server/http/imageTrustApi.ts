import type { RequestActor } from '../../lib/requestActor';
import type { ApiResult } from './apiResult';
import { answer } from './domainResult';
import { actorVia } from '../app/actor';
import type { BundleApprovals } from '../app/trust/approveBundle';
import { trustUpload, type TrustUploadDeps } from '../app/trust/trustUpload';

export interface ImageTrustApiDeps extends TrustUploadDeps {
  /** The bundle approvals (a use case of server/app). */
  approvals: BundleApprovals;
}

/**
 * An admin's explicit trust of an unsigned image's SHA-256, the decision that stands in for a
 * vendor signature: recorded with who and when, in the audit trail and the syslog, and asked again
 * at every delivery: a Desktop (HTTP) upload before Save & Download, and the files of an image
 * server's or catalog's unsigned bundle while the upgrade waits for them (EWC_REQUIRE_SIGNED_IMAGES=ask).
 */
export class ImageTrustApi {
  constructor(private readonly deps: ImageTrustApiDeps) {}

  /** `POST /api/image-download-profile/trust-upload` `{ uploadId, sha256 }` (server/app/trust/trustUpload.ts). */
  async trustUpload(body: unknown, actor: RequestActor): Promise<ApiResult> {
    return answer(await trustUpload(this.deps, body, actorVia(actor, 'api')), 200);
  }

  /** `POST /api/software-upgrade/approve-bundle` `{ files: [{ name, sha256 }] }` (server/app/trust/approveBundle.ts). */
  async approveBundle(body: unknown, actor: RequestActor): Promise<ApiResult> {
    return answer(await this.deps.approvals.approve(body, actorVia(actor, 'api')), 200);
  }
}
