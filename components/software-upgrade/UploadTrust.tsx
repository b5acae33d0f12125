'use client';

import { useEffect, useState } from 'react';
import { TRUST_UPLOAD_PATH, desktopImageSchema, type DesktopImage } from '@/lib/httpModeSettings';
import { requestJson } from '@/components/api/jsonRequest';
import { Button } from '@/components/ui/Button';
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
  const [trust, setTrust] = useState(known);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setTrust(known), [known, uploadId]);

  if (trust) {
    return (
      <p className="field-hint" data-testid="desktop-trust">
        Trusted by {trust.trustedBy} at {formatDateTime(trust.trustedAt)}: not signed, delivered on this decision.
      </p>
    );
  }
  const trustIt = async () => {
    setBusy(true);
    const answer = await requestJson('POST', TRUST_UPLOAD_PATH, desktopImageSchema, { uploadId, sha256 });
    setBusy(false);
    if (answer.ok) setTrust(answer.data.trust);
    setError(answer.ok ? null : answer.error);
  };
  return (
    <div className="desktop-upload" data-testid="desktop-trust">
      <p className="field-hint">Not signed: compare the SHA-256 above with the one its vendor publishes, then trust this image to deliver it.</p>
      <Button className="btn-small" busy={busy} disabled={!canChange || busy} onClick={() => void trustIt()}>
        Trust this image
      </Button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
