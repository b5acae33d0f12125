'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import type { ApImageRow } from '@/lib/apImage';
import { PREDOWNLOAD_ACTIVE } from '@/lib/predownloadStatus';
import { Button } from '@/components/ui/Button';
import { useRefusalText } from '@/components/ui/useServerSentence';
import { apAction, type ApAction } from './maintenanceRequests';

/**
 * Retry now (failed), Abort (predownload under way), Exclude from activation (or include again) for one
 * AP. The buttons show one short word so the three fit one line of the table; the whole action is each
 * button's name and tooltip.
 */
export function ApRowActions({ row, disabled = false }: { row: ApImageRow; disabled?: boolean }) {
  const t = useTranslations('apRowActions');
  const [busy, setBusy] = useState<ApAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refusalText = useRefusalText();
  const act = async (action: ApAction) => {
    setBusy(action);
    const result = await apAction(row.mac, action);
    setBusy(null);
    // The row itself changes over the socket; only a refusal needs saying here.
    setError(result.ok ? null : refusalText(result));
  };
  const failed = row.predownloadStatus === 'Failed';
  const active = PREDOWNLOAD_ACTIVE.has(row.predownloadStatus);
  return (
    <>
      <span className="ap-actions">
        {failed && (
          <Button className="btn-small" aria-label={t('retryNow')} title={t('retryNow')} busy={busy === 'retry'} disabled={disabled || busy !== null} onClick={() => void act('retry')}>
            {t('retry')}
          </Button>
        )}
        {(active || (failed && row.nextRetryTime !== null)) && (
          <Button className="btn-small" variant="danger" busy={busy === 'abort'} disabled={disabled || busy !== null} onClick={() => void act('abort')}>
            {t('abort')}
          </Button>
        )}
        {row.predownloadStatus !== 'Reloading' && (
          <Button
            className="btn-small"
            aria-label={t(row.activationExcluded ? 'includeInActivation' : 'excludeFromActivation')}
            title={t(row.activationExcluded ? 'includeInActivation' : 'excludeFromActivation')}
            busy={busy === 'exclude' || busy === 'include'}
            disabled={disabled || busy !== null}
            onClick={() => void act(row.activationExcluded ? 'include' : 'exclude')}
          >
            {t(row.activationExcluded ? 'include' : 'exclude')}
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
