'use client';

import { useEffect, useState } from 'react';
import { z } from 'zod';
import { requestJson } from '@/components/api/jsonRequest';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Panel } from '@/components/ui/Panel';
import { upgradeHistoryDetailSchema, upgradeHistoryEntrySchema, type UpgradeHistoryDetail, type UpgradeHistoryEntry } from '@/lib/upgradeHistory';
import { formatDateTime, localTimeZone } from '@/lib/dateTime';

const when = (iso: string | null) => (iso ? formatDateTime(iso) : '—');

/** Every upgrade: who started it and how, what it targeted, how it activated and how it ended; one opened with its waves. */
export function UpgradeHistory() {
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
        title="Upgrades"
        aside={
          <a href="/api/upgrades/export" download="upgrade-history.csv">
            Export CSV
          </a>
        }
      >
        <table className="history-table" data-testid="history-table">
          <thead>
            <tr>
              <th>#</th>
              {/* The zone is the browser's; named once the rows (fetched by the browser) are there, so the server's render matches. */}
              <th>Started{entries ? ` (${localTimeZone()})` : ''}</th>
              <th>By</th>
              <th>Via</th>
              <th>Target version</th>
              <th>Targets</th>
              <th>Mode</th>
              <th>Waves</th>
              <th>Failed APs</th>
              <th>Result</th>
              <th>Duration</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {entries?.length === 0 && (
              <tr>
                <td colSpan={12}>No upgrade yet</td>
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
                <td>{entry.strategy === 'rolling' ? 'Rolling' : entry.strategy === 'all' ? 'All at once' : '—'}</td>
                <td>{entry.waveCount}</td>
                <td data-testid="history-failed">{entry.failedAps}</td>
                <td data-testid="history-result">{entry.result}</td>
                <td data-testid="history-duration">{entry.durationSeconds === null ? '—' : `${entry.durationSeconds} s`}</td>
                <td>
                  <Button className="btn-small" onClick={() => void open(entry.id)}>
                    Open
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      {opened && (
        <Panel id="upgrade-history-detail" title={`Upgrade ${opened.id}`}>
          <p data-testid="history-detail-message">
            <strong>{opened.result}.</strong> {opened.message}{' '}
            <a href={`/api/upgrades/${opened.id}/export`} download={`upgrade-${opened.id}.csv`}>
              Export CSV
            </a>
          </p>
          <p>
            From {opened.imageUrl} ({opened.mode}); activated by {opened.activatedBy ?? '—'}
            {opened.errorThresholdPercent !== null ? `, error threshold ${opened.errorThresholdPercent} %` : ''}; ended <span data-testid="history-detail-ended">{when(opened.finishedAt)}</span>
          </p>
          <ol className="wave-list" aria-label="Waves">
            {opened.waves.map((wave) => (
              <li key={wave.index} data-testid="history-wave">
                Wave {wave.index + 1}: {wave.aps.length} AP(s), {wave.failed} failed, {when(wave.startedAt)} – {when(wave.finishedAt)}
              </li>
            ))}
          </ol>
          {opened.failures.length > 0 && (
            <ul className="history-failures" aria-label="Failures">
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
