'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useState } from 'react';
import { TRUST_UPLOAD_PATH, desktopImageSchema, type DesktopImage } from '@/lib/httpModeSettings';
import { requestJson } from '@/components/api/jsonRequest';
import { Button } from '@/components/ui/Button';
import { useRefusalText } from '@/components/ui/useServerSentence';
import { formatDateTime } from '@/lib/dateTime';

export interface UploadTrustProps {
  uploadId: string;
  sha256: string;
  /** What the console already knows: trusted before (the same image again), or null. */
  trust: DesktopImage['trust'];
  canChange: boolean;
}

/**
 * An upload carries no vendor signature: the admin compares its SHA-256 with the one the vendor
 * publishes and trusts it explicitly, a decision the console records (who, when) and checks at
 * each delivery. Until then Save & Download refuses it while signed images are required.
 */
export function UploadTrust({ uploadId, sha256, trust: known, canChange }: UploadTrustProps) {
  const t = useTranslations('desktop');
  const [trust, setTrust] = useState(known);
  const [error, setError] = useState<string | null>(null);
  const refusalText = useRefusalText();
  const [busy, setBusy] = useState(false);
  useEffect(() => setTrust(known), [known, uploadId]);

  if (trust) {
    return (
      <p className="field-hint" data-testid="desktop-trust">
        {t('trustedBy', { user: trust.trustedBy, time: formatDateTime(trust.trustedAt) })}
      </p>
    );
  }
  const trustIt = async () => {
    setBusy(true);
    const answer = await requestJson('POST', TRUST_UPLOAD_PATH, desktopImageSchema, { uploadId, sha256 });
    setBusy(false);
    if (answer.ok) setTrust(answer.data.trust);
    setError(answer.ok ? null : refusalText(answer));
  };
  return (
    <div className="desktop-upload" data-testid="desktop-trust">
      <p className="field-hint">{t('notSigned')}</p>
      <Button className="btn-small" busy={busy} disabled={!canChange || busy} onClick={() => void trustIt()}>
        {t('trustImage')}
      </Button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
