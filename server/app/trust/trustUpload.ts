import { trustUploadSchema } from '../../../lib/httpModeSettings';
import { toFieldIssues } from '../../../lib/imageDownloadProfile';
import { sentence } from '../../../lib/serverSentences';
import { DESKTOP_TRUST_SOURCE, type DigestTrust } from '../../imageSigning/digestTrust';
import { syslogText } from '../../orchestrator/syslogText';
import type { EventLog } from '../../store/eventLog';
import { inTransaction, type Executor } from '../../store/store';
import type { DesktopUploads } from '../../uploads/desktopUploads';
import type { Actor } from '../actor';
import { auditedBy, type AuditLog } from '../audit/auditLog';
import { invalid, ok, refused, type Result } from '../result';

export interface TrustUploadDeps {
  db: Executor;
  uploads: DesktopUploads;
  digestTrust: DigestTrust;
  audit: AuditLog;
  log: Pick<EventLog, 'write'>;
}

/**
 * *Trust this image* for a Desktop (HTTP) upload: `{ uploadId, sha256 }`, the digest the page showed. The
 * decision (who, when, the file's name, size and SHA-256) and its audit line commit in one transaction.
 */
export async function trustUpload(deps: TrustUploadDeps, input: unknown, actor: Actor): Promise<Result<ReturnType<DesktopUploads['describedWithTrust']>>> {
  const parsed = trustUploadSchema.safeParse(input);
  if (!parsed.success) return invalid('Invalid trust request', toFieldIssues(parsed.error));
  const { uploadId, sha256 } = parsed.data;
  const image = deps.uploads.image(uploadId);
  if (!image) return refused('notFound', sentence('uploadGone'));
  if (image.sha256 !== sha256) return refused('conflict', sentence('uploadDigestMismatch', { actual: image.sha256, given: sha256 }));
  const detail = `Desktop image ${image.fileName} (${image.size} bytes) sha256 ${sha256}`;
  const [trusted] = await inTransaction(deps.db, async (tx) => {
    const decisions = await deps.digestTrust.trust(DESKTOP_TRUST_SOURCE, [{ name: image.fileName, size: image.size, sha256 }], actor.username, tx);
    await deps.audit.record(auditedBy(actor, 'image.trust', detail), tx);
    return decisions;
  });
  deps.log.write(syslogText.upgrade(`Image trust: ${actor.username} trusted the unsigned ${detail}; trusted by ${trusted.trustedBy} at ${trusted.trustedAt}`));
  return ok(deps.uploads.describedWithTrust(uploadId));
}
