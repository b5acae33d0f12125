'use client';

import { useState } from 'react';
import { z } from 'zod';
import { APPROVE_BUNDLE_PATH, bundleApprovalSchema, type BundleApproval, type BundleFile } from '@/lib/bundleApproval';
import { requestJson } from '@/components/api/jsonRequest';
import { Button } from '@/components/ui/Button';
import { Table, type TableColumn } from '@/components/ui/Table';

const COLUMNS: TableColumn<BundleFile>[] = [
  { key: 'name', header: 'File', render: (file) => file.name },
  // Whole bytes, as the CLI and the API give them and `ls -l` prints them on the image server.
  { key: 'size', header: 'Size (bytes)', render: (file) => String(file.size) },
  { key: 'sha256', header: 'SHA-256', render: (file) => <code className="bundle-digest">{file.sha256}</code> },
];

const approvedSchema = z.object({ trusted: bundleApprovalSchema });

/**
 * An unsigned bundle the upgrade holds, asked as the SSH host key question is: the files and their
 * digests, for the engineer to compare with what the vendor lists, and one explicit decision that
 * trusts exactly these digests. A monitor sees the question but cannot answer it.
 */
export function BundleApprovalRequest({ approval, canChange }: { approval: BundleApproval; canChange: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const trust = async () => {
    setBusy(true);
    // The digests as shown: one that changed since is refused by the console, not trusted unseen.
    const answer = await requestJson('POST', APPROVE_BUNDLE_PATH, approvedSchema, { files: approval.files.map(({ name, sha256 }) => ({ name, sha256 })) });
    setBusy(false);
    setError(answer.ok ? null : answer.error);
  };
  return (
    <section className="bundle-approval" data-testid="bundle-approval" aria-labelledby="bundle-approval-title">
      <h3 id="bundle-approval-title">Trust the bundle&apos;s files</h3>
      <p>
        The authenticity of the bundle <code data-testid="bundle-approval-path">{approval.path}</code> can&apos;t be established: it has no signature manifest. No AP receives its images until an
        administrator trusts them. Compare each SHA-256 with the one the vendor lists for the image (cisco.com shows it with each download).
      </p>
      <Table caption="Files waiting for trust" columns={COLUMNS} rows={approval.files} rowKey={(file) => file.name} rowAttributes={(file) => ({ 'data-file': file.name })} />
      {canChange ? (
        <div className="bundle-approval-actions">
          <span>Trust these files?</span>
          <Button variant="primary" busy={busy} disabled={busy} onClick={() => void trust()}>
            Trust and continue
          </Button>
        </div>
      ) : (
        <p className="field-hint">Waiting for an administrator to trust these files.</p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
