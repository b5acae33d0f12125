import { approvalMismatch, approveBundleSchema, describeBundleFiles, type ApproveBundleRequest, type BundleApproval } from '../../lib/bundleApproval';
import { toFieldIssues } from '../../lib/imageDownloadProfile';
import { trustUploadSchema } from '../../lib/httpModeSettings';
import type { RequestActor } from '../../lib/requestActor';
import type { AuditLog } from '../app/audit/auditLog';
import { DESKTOP_TRUST_SOURCE, type DigestTrust } from '../imageSigning/digestTrust';
import { syslogText } from '../orchestrator/syslogText';
import type { EventLine } from '../store/eventLog';
import type { Executor } from '../store/store';
import type { DesktopUploads } from '../uploads/desktopUploads';
import type { ApiResult } from './apiResult';

export interface ImageTrustApiDeps {
  uploads: DesktopUploads;
  digestTrust: DigestTrust;
  audit: AuditLog;
  log: (line: EventLine) => void;
  /** The running upgrade's bundle files waiting for an admin's trust, or null. */
  bundleApproval: () => BundleApproval | null;
  /** Told after a trust decision is stored: the held files it covers go on to their APs. */
  bundleTrusted: () => void;
  /** Runs the change and its audit line in one database transaction. */
  transaction: <T>(work: (tx: Executor) => Promise<T>) => Promise<T>;
}

/**
 * An admin's explicit trust of an unsigned image's SHA-256, the decision that stands in for a
 * vendor signature: recorded with who and when, in the audit trail and the syslog, and asked again
 * at every delivery: a Desktop (HTTP) upload before Save & Download, and the files of an image
 * server's or catalog's unsigned bundle while the upgrade waits for them (EWC_REQUIRE_SIGNED_IMAGES=ask).
 */
export class ImageTrustApi {
  private approvals: Promise<unknown> = Promise.resolve();

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

  /**
   * `POST /api/software-upgrade/approve-bundle` `{ files: [{ name, sha256 }] }`: trusts the files the
   * upgrade waits on, each with the digest shown, all of them and nothing else (409 otherwise). The
   * decision is kept under the bundle's URL, so the same files need no second approval.
   */
  approveBundle(body: unknown, actor: RequestActor): Promise<ApiResult> {
    const parsed = approveBundleSchema.safeParse(body);
    if (!parsed.success) return Promise.resolve({ status: 400, body: { error: 'Invalid bundle approval', issues: toFieldIssues(parsed.error) } });
    // One approval at a time: the page's and the CLI's at once are taken one after the other, so the
    // second finds the files no longer waiting (409) instead of trusting and auditing them twice.
    const turn = this.approvals.then(() => this.approveWaiting(parsed.data, actor));
    this.approvals = turn.catch(() => undefined);
    return turn;
  }

  private async approveWaiting(approval: ApproveBundleRequest, actor: RequestActor): Promise<ApiResult> {
    const waiting = this.deps.bundleApproval();
    if (!waiting) return { status: 409, body: { error: 'No bundle is waiting for approval: nothing was trusted.' } };
    const mismatch = approvalMismatch(waiting, approval);
    if (mismatch) return { status: 409, body: { error: mismatch, bundleApproval: waiting } };
    const detail = `unsigned bundle ${waiting.path}: ${describeBundleFiles(waiting.files)}`;
    await this.deps.transaction(async (tx) => {
      await this.deps.digestTrust.trust(waiting.path, waiting.files, actor.username, tx);
      // One line per file: a bundle's many digests never meet the audit trail's cut of a long detail.
      for (const file of waiting.files) {
        await this.deps.audit.record(
          { username: actor.username, sourceAddress: actor.sourceAddress, action: 'image.trust', detail: `unsigned bundle ${waiting.path}: ${describeBundleFiles([file])}` },
          tx,
        );
      }
    });
    // Never "verify success": nothing was verified but the digests, which the admin vouched for.
    this.deps.log(syslogText.upgrade(`Image trust: ${actor.username} trusted the ${detail} by approval; delivered on this decision, not on a signature`));
    this.deps.bundleTrusted();
    return { status: 200, body: { trusted: waiting } };
  }
}
