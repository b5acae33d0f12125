'use client';

import { useTranslations } from 'next-intl';
import { useStageResultText } from '@/components/software-upgrade/useStageResultText';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { requestJson } from '@/components/api/jsonRequest';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Panel } from '@/components/ui/Panel';
import { useServerSentence } from '@/components/ui/useServerSentence';
import { upgradeHistoryDetailSchema, upgradeHistoryEntrySchema, type UpgradeHistoryDetail, type UpgradeHistoryEntry } from '@/lib/upgradeHistory';
import { formatDateTime, localTimeZone } from '@/lib/dateTime';

const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');
const STRATEGY_KEY = { rolling: 'rolling', all: 'all' } as const;

/** Every upgrade: who started it and how, what it targeted, how it activated and how it ended; one opened with its waves. */
export function UpgradeHistory() {
  const t = useTranslations('history');
  const resultText = useStageResultText();
  const say = useServerSentence();
  const [entries, setEntries] = useState<UpgradeHistoryEntry[] | null>(null);
  const [opened, setOpened] = useState<UpgradeHistoryDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void requestJson('GET', '/api/upgrades', z.array(upgradeHistoryEntrySchema)).then((result) => (result.ok ? setEntries(result.data) : setError(result.error)));
  }, []);

  const open = async (id: number) => {
    const result = await requestJson('GET', `/api/upgrades/${id}`, upgradeHistoryDetailSchema);
    if (result.ok) setOpened(result.data);
    else setError(result.error);
  };

  return (
    <>
      {error && <Alert tone="danger">{error}</Alert>}
      <Panel
        id="upgrade-history"
        title={t('upgrades')}
        aside={
          <a href="/api/upgrades/export" download="upgrade-history.csv">
            {t('exportCsv')}
          </a>
        }
      >
        <table className="history-table" data-testid="history-table">
          <thead>
            <tr>
              <th>#</th>
              {/* The zone is the browser's; named once the rows (fetched by the browser) are there, so the server's render matches. */}
              <th>{entries ? t('startedZone', { zone: localTimeZone() }) : t('started')}</th>
              <th>{t('by')}</th>
              <th>{t('via')}</th>
              <th>{t('targetVersion')}</th>
              <th>{t('targets')}</th>
              <th>{t('mode')}</th>
              <th>{t('waves')}</th>
              <th>{t('failedAps')}</th>
              <th>{t('result')}</th>
              <th>{t('duration')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries?.length === 0 && (
              <tr>
                <td colSpan={12}>{t('empty')}</td>
              </tr>
            )}
            {entries?.map((entry) => (
              <tr key={entry.id} data-testid="history-row" data-id={entry.id} data-stage={entry.stage}>
                <td>{entry.id}</td>
                <td>{when(entry.startedAt)}</td>
                <td>{entry.startedBy ?? '—'}</td>
                <td>{entry.startedVia ?? '—'}</td>
                <td>{entry.targetVersion ?? '—'}</td>
                <td>{entry.targets}</td>
                <td>{entry.strategy ? t(STRATEGY_KEY[entry.strategy]) : '—'}</td>
                <td>{entry.waveCount}</td>
                <td data-testid="history-failed">{entry.failedAps}</td>
                <td data-testid="history-result">{resultText(entry.stage, entry.result, entry.resultSentence)}</td>
                <td data-testid="history-duration">{entry.durationSeconds === null ? '—' : t('seconds', { seconds: entry.durationSeconds })}</td>
                <td>
                  <Button className="btn-small" onClick={() => void open(entry.id)}>
                    {t('open')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      {opened && (
        <Panel id="upgrade-history-detail" title={t('upgrade', { id: opened.id })}>
          <p data-testid="history-detail-message">
            <strong>{resultText(opened.stage, opened.result, opened.resultSentence)}.</strong> {opened.message === null ? null : say(opened.messageSentence, opened.message)}{' '}
            <a href={`/api/upgrades/${opened.id}/export`} download={`upgrade-${opened.id}.csv`}>
              {t('exportCsv')}
            </a>
          </p>
          <p>
            {t('from', { url: opened.imageUrl, mode: opened.mode, user: opened.activatedBy ?? '—' })}
            {opened.errorThresholdPercent !== null ? t('threshold', { percent: opened.errorThresholdPercent }) : ''}
            {t('ended')} <span data-testid="history-detail-ended">{when(opened.finishedAt)}</span>
          </p>
          <ol className="wave-list" aria-label={t('waves')}>
            {opened.waves.map((wave) => (
              <li key={wave.index} data-testid="history-wave">
                {t('wave', { number: wave.index + 1, count: wave.aps.length, failed: wave.failed, started: when(wave.startedAt), finished: when(wave.finishedAt) })}
              </li>
            ))}
          </ol>
          {opened.failures.length > 0 && (
            <ul className="history-failures" aria-label={t('failures')}>
              {opened.failures.map((line, index) => (
                <li key={index}>
                  <time>{when(line.time)}</time> {line.text}
                </li>
              ))}
            </ul>
          )}
        </Panel>
      )}
    </>
  );
}
