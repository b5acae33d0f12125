'use client';

import { useState } from 'react';
import type { ApImageRow } from '@/lib/apImage';
import { PREDOWNLOAD_ACTIVE } from '@/lib/predownloadStatus';
import { Button } from '@/components/ui/Button';
import { apAction, type ApAction } from './maintenanceRequests';

/**
 * Retry now (failed), Abort (predownload under way), Exclude from activation (or include again) for one
 * AP. The buttons show one short word so the three fit one line of the table; the whole action is each
 * button's name and tooltip.
 */
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
    <>
      <span className="ap-actions">
        {failed && (
          <Button className="btn-small" aria-label="Retry now" title="Retry now" busy={busy === 'retry'} disabled={disabled || busy !== null} onClick={() => void act('retry')}>
            Retry
          </Button>
        )}
        {(active || (failed && row.nextRetryTime !== null)) && (
          <Button className="btn-small" variant="danger" busy={busy === 'abort'} disabled={disabled || busy !== null} onClick={() => void act('abort')}>
            Abort
          </Button>
        )}
        {row.predownloadStatus !== 'Reloading' && (
          <Button
            className="btn-small"
            aria-label={row.activationExcluded ? 'Include in activation' : 'Exclude from activation'}
            title={row.activationExcluded ? 'Include in activation' : 'Exclude from activation'}
            busy={busy === 'exclude' || busy === 'include'}
            disabled={disabled || busy !== null}
            onClick={() => void act(row.activationExcluded ? 'include' : 'exclude')}
          >
            {row.activationExcluded ? 'Include' : 'Exclude'}
          </Button>
        )}
      </span>
      {/* A refusal wraps under the buttons, in the cell's width. */}
      {error && (
        <span className="ap-action-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
