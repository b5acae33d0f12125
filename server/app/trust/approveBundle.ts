import { approvalMismatch, approveBundleSchema, describeBundleFiles, type ApproveBundleRequest, type BundleApproval } from '../../../lib/bundleApproval';
import { toFieldIssues } from '../../../lib/imageDownloadProfile';
import { sentence } from '../../../lib/serverSentences';
import type { DigestTrust } from '../../imageSigning/digestTrust';
import { syslogText } from '../../orchestrator/syslogText';
import type { EventLog } from '../../store/eventLog';
import type { UpgradeOrchestrator } from '../../orchestrator/upgradeOrchestrator';
import { inTransaction, type Executor } from '../../store/store';
import type { Actor } from '../actor';
import { auditedBy, type AuditLog } from '../audit/auditLog';
import { invalid, ok, refused, type Result } from '../result';

export interface ApproveBundleDeps {
  db: Executor;
  digestTrust: DigestTrust;
  audit: AuditLog;
  log: Pick<EventLog, 'write'>;
  /** Its view says which bundle files wait for an admin's trust; told after a decision is stored, the held files it covers go on to their APs. */
  orchestrator: Pick<UpgradeOrchestrator, 'view' | 'bundleTrusted'>;
}

/**
 * The page's Trust and the CLI's `ap image predownload approve`: trusts the files the upgrade waits on, each
 * with the digest shown, all of them and nothing else. The decision is kept under the bundle's URL, so the
 * same files need no second approval; it and its audit lines commit in one transaction.
 */
export class BundleApprovals {
  private turns: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ApproveBundleDeps) {}

  approve(input: unknown, actor: Actor): Promise<Result<{ trusted: BundleApproval }>> {
    const parsed = approveBundleSchema.safeParse(input);
    if (!parsed.success) return Promise.resolve(invalid('Invalid bundle approval', toFieldIssues(parsed.error)));
    // One approval at a time: the page's and the CLI's at once are taken one after the other, so the
    // second finds the files no longer waiting instead of trusting and auditing them twice.
    const turn = this.turns.then(() => this.approveWaiting(parsed.data, actor));
    this.turns = turn.catch(() => undefined);
    return turn;
  }

  private async approveWaiting(approval: ApproveBundleRequest, actor: Actor): Promise<Result<{ trusted: BundleApproval }>> {
    const waiting = this.deps.orchestrator.view().bundleApproval;
    if (!waiting) return refused('conflict', sentence('noBundleWaiting'));
    const mismatch = approvalMismatch(waiting, approval);
    if (mismatch) return refused('conflict', mismatch, { details: { bundleApproval: waiting } });
    await inTransaction(this.deps.db, async (tx) => {
      await this.deps.digestTrust.trust(waiting.path, waiting.files, actor.username, tx);
      // One line per file: a bundle's many digests never meet the audit trail's cut of a long detail.
      for (const file of waiting.files) await this.deps.audit.record(auditedBy(actor, 'image.trust', `unsigned bundle ${waiting.path}: ${describeBundleFiles([file])}`), tx);
    });
    // Never "verify success": nothing was verified but the digests, which the admin vouched for.
    const detail = `unsigned bundle ${waiting.path}: ${describeBundleFiles(waiting.files)}`;
    this.deps.log.write(syslogText.upgrade(`Image trust: ${actor.username} trusted the ${detail} by approval; delivered on this decision, not on a signature`));
    this.deps.orchestrator.bundleTrusted();
    return ok({ trusted: waiting });
  }
}
