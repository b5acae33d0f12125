'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { z } from 'zod';
import { APPROVE_BUNDLE_PATH, bundleApprovalSchema, type BundleApproval, type BundleFile } from '@/lib/bundleApproval';
import { requestJson } from '@/components/api/jsonRequest';
import { Button } from '@/components/ui/Button';
import { useRefusalText } from '@/components/ui/useServerSentence';
import { Table, type TableColumn } from '@/components/ui/Table';

const approvedSchema = z.object({ trusted: bundleApprovalSchema });

/**
 * An unsigned bundle the upgrade holds, asked as the SSH host key question is: the files and their
 * digests, for the engineer to compare with what the vendor lists, and one explicit decision that
 * trusts exactly these digests. A monitor sees the question but cannot answer it.
 */
export function BundleApprovalRequest({ approval, canChange }: { approval: BundleApproval; canChange: boolean }) {
  const t = useTranslations('bundleApproval');
  const columns: TableColumn<BundleFile>[] = [
    { key: 'name', header: t('file'), render: (file) => file.name },
    // Whole bytes, as the CLI and the API give them and `ls -l` prints them on the image server.
    { key: 'size', header: t('size'), render: (file) => String(file.size) },
    { key: 'sha256', header: 'SHA-256', render: (file) => <code className="bundle-digest">{file.sha256}</code> },
  ];
  const [error, setError] = useState<string | null>(null);
  const refusalText = useRefusalText();
  const [busy, setBusy] = useState(false);
  const trust = async () => {
    setBusy(true);
    // The digests as shown: one that changed since is refused by the console, not trusted unseen.
    const answer = await requestJson('POST', APPROVE_BUNDLE_PATH, approvedSchema, { files: approval.files.map(({ name, sha256 }) => ({ name, sha256 })) });
    setBusy(false);
    setError(answer.ok ? null : refusalText(answer));
  };
  return (
    <section className="bundle-approval" data-testid="bundle-approval" aria-labelledby="bundle-approval-title">
      <h3 id="bundle-approval-title">{t('title')}</h3>
      <p>{t.rich('explanation', { path: approval.path, code: (chunks) => <code data-testid="bundle-approval-path">{chunks}</code> })}</p>
      <Table caption={t('caption')} columns={columns} rows={approval.files} rowKey={(file) => file.name} rowAttributes={(file) => ({ 'data-file': file.name })} />
      {canChange ? (
        <div className="bundle-approval-actions">
          <span>{t('question')}</span>
          <Button variant="primary" busy={busy} disabled={busy} onClick={() => void trust()}>
            {t('trust')}
          </Button>
        </div>
      ) : (
        <p className="field-hint">{t('waiting')}</p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
