import { toFieldIssues } from '../../lib/imageDownloadProfile';
import { trustUploadSchema } from '../../lib/httpModeSettings';
import type { RequestActor } from '../../lib/requestActor';
import type { AuditLog } from '../app/audit/auditLog';
import { DESKTOP_TRUST_SOURCE, type DigestTrust } from '../imageSigning/digestTrust';
import { syslogText } from '../orchestrator/syslogText';
import type { EventLine } from '../store/eventLog';
import type { DesktopUploads } from '../uploads/desktopUploads';
import type { ApiResult } from './apiResult';
import { answer } from './domainResult';
import { actorVia } from '../app/actor';
import type { BundleApprovals } from '../app/trust/approveBundle';

export interface ImageTrustApiDeps {
  uploads: DesktopUploads;
  digestTrust: DigestTrust;
  audit: AuditLog;
  log: (line: EventLine) => void;
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

  /** `POST /api/image-download-profile/trust-upload` `{ uploadId, sha256 }`: the digest must be the one the page showed. */
  async trustUpload(body: unknown, actor: RequestActor): Promise<ApiResult> {
    const parsed = trustUploadSchema.safeParse(body);
    if (!parsed.success) return { status: 400, body: { error: 'Invalid trust request', issues: toFieldIssues(parsed.error) } };
    const { uploadId, sha256 } = parsed.data;
    const image = this.deps.uploads.image(uploadId);
    if (!image) return { status: 404, body: { error: 'The uploaded image is not on the controller: upload it again' } };
    if (image.sha256 !== sha256) {
      return { status: 409, body: { error: `The uploaded image's SHA-256 is ${image.sha256}, not ${sha256}: compare it again before trusting it` } };
    }
    const [trusted] = await this.deps.digestTrust.trust(DESKTOP_TRUST_SOURCE, [{ name: image.fileName, size: image.size, sha256 }], actor.username);
    const detail = `Desktop image ${image.fileName} (${image.size} bytes) sha256 ${sha256}`;
    await this.deps.audit.record({ username: actor.username, sourceAddress: actor.sourceAddress, action: 'image.trust', detail });
    this.deps.log(syslogText.upgrade(`Image trust: ${actor.username} trusted the unsigned ${detail}; trusted by ${trusted.trustedBy} at ${trusted.trustedAt}`));
    return { status: 200, body: this.deps.uploads.describedWithTrust(uploadId) };
  }

  /** `POST /api/software-upgrade/approve-bundle` `{ files: [{ name, sha256 }] }` (server/app/trust/approveBundle.ts). */
  async approveBundle(body: unknown, actor: RequestActor): Promise<ApiResult> {
    return answer(await this.deps.approvals.approve(body, actorVia(actor, 'api')), 200);
  }
}
