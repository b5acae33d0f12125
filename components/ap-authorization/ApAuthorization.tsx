'use client';

import { useTranslations } from 'next-intl';
import { useRefusalText } from '@/components/ui/useServerSentence';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Panel } from '@/components/ui/Panel';
import { ResultBanner, type ResultMessage } from '@/components/ui/ResultBanner';
import { ApAuthorizationTable } from './ApAuthorizationTable';
import { createEnrolmentToken, deleteAp, deleteEnrolmentToken, fetchApAuthorization, setApStatus, type ApAuthorizationList, type ApiResult } from './apAuthorizationApi';
import { EnrolmentTokens } from './EnrolmentTokens';

// APs enrol and join on their own: the list is read again every few seconds so a new one shows up.
const REFRESH_MS = 5000;

/** The AP Authorization page's live part: the list, its actions, and the enrolment tokens. */
export function ApAuthorization() {
  const t = useTranslations('apAuthorization');
  const refusalText = useRefusalText();
  const [list, setList] = useState<ApAuthorizationList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<ResultMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    const result = await fetchApAuthorization();
    if (ticket !== latest.current) return;
    if (result.ok) {
      setList(result.data);
      setLoadError(null);
    } else setLoadError(refusalText(result));
  }, [refusalText]);

  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const run = useCallback(
    async <T,>(request: () => Promise<ApiResult<T>>, success: string): Promise<ApiResult<T>> => {
      setBusy(true);
      const result = await request();
      setBusy(false);
      setMessage(result.ok ? { tone: 'success', text: success } : { tone: 'error', text: refusalText(result) });
      void reload();
      return result;
    },
    [reload, refusalText],
  );

  const onSetStatus = useCallback(
    (mac: string, status: 'approved' | 'revoked') => void run(() => setApStatus(mac, status), status === 'approved' ? t('approved', { mac }) : t('revoked', { mac })),
    [t, run],
  );
  const onDelete = useCallback((mac: string) => void run(() => deleteAp(mac), t('deleted', { mac })), [t, run]);
  const onDeleteToken = useCallback((id: number) => void run(() => deleteEnrolmentToken(id), t('tokenDeleted', { id })), [t, run]);
  const onCreate = useCallback(
    async (body: { mac: string; validHours: string }) => {
      setCreated(null);
      const result = await run(() => createEnrolmentToken(body), t('tokenCreated'));
      setErrors(result.ok ? {} : Object.fromEntries(result.issues.map((issue) => [issue.path, issue.message])));
      if (result.ok) setCreated(result.data.token);
    },
    [t, run],
  );

  if (list === null && loadError) {
    return (
      <Alert tone="warning" data-testid="ap-authorization-message" data-tone="error">
        {loadError}
      </Alert>
    );
  }
  const aps = list?.aps ?? [];
  const pending = aps.filter((ap) => ap.status === 'pending').length;
  return (
    <div className="user-admin">
      <ResultBanner message={message} onDismiss={() => setMessage(null)} testId="ap-authorization-message" />
      {loadError && <Alert tone="danger">{loadError}</Alert>}
      <Panel
        id="ap-authorization-list"
        title={t('listTitle')}
        aside={<span className="panel-count">{pending > 0 ? t('countPending', { total: aps.length, pending }) : t('count', { total: aps.length })}</span>}
      >
        <ApAuthorizationTable aps={aps} blocked={busy} onSetStatus={onSetStatus} onDelete={onDelete} />
      </Panel>
      <Panel id="enrolment-tokens" title={t('tokensTitle')}>
        <EnrolmentTokens tokens={list?.tokens ?? []} created={created} errors={errors} blocked={busy} onCreate={(body) => void onCreate(body)} onDelete={onDeleteToken} />
      </Panel>
    </div>
  );
}
