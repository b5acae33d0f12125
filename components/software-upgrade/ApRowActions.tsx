'use client';

import { useState } from 'react';
import type { ApImageRow } from '@/lib/apImage';
import { PREDOWNLOAD_ACTIVE } from '@/lib/predownloadStatus';
import { Button } from '@/components/ui/Button';
import { apAction, type ApAction } from './maintenanceRequests';

/** Retry now (failed), Abort (predownload under way), Exclude from activation (or include again) for one AP. */
export function ApRowActions({ row, disabled = false }: { row: ApImageRow; disabled?: boolean }) {
  const [busy, setBusy] = useState<ApAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (action: ApAction) => {
    setBusy(action);
    const result = await apAction(row.mac, action);
    setBusy(null);
    // The row itself changes over the socket; only a refusal needs saying here.
    setError(result.ok ? null : result.error);
  };
  const failed = row.predownloadStatus === 'Failed';
  const active = PREDOWNLOAD_ACTIVE.has(row.predownloadStatus);
  return (
    <span className="ap-actions">
      {failed && (
        <Button className="btn-small" busy={busy === 'retry'} disabled={disabled || busy !== null} onClick={() => void act('retry')}>
          Retry now
        </Button>
      )}
      {(active || (failed && row.nextRetryTime !== null)) && (
        <Button className="btn-small" variant="danger" busy={busy === 'abort'} disabled={disabled || busy !== null} onClick={() => void act('abort')}>
          Abort
        </Button>
      )}
      {row.predownloadStatus !== 'Reloading' && (
        <Button className="btn-small" busy={busy === 'exclude' || busy === 'include'} disabled={disabled || busy !== null} onClick={() => void act(row.activationExcluded ? 'include' : 'exclude')}>
          {row.activationExcluded ? 'Include in activation' : 'Exclude from activation'}
        </Button>
      )}
      {error && (
        <span className="ap-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
