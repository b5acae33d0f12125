'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert } from '@/components/ui/Alert';
import { Badge } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { Panel } from '@/components/ui/Panel';
import { ResultBanner, type ResultMessage } from '@/components/ui/ResultBanner';
import { Select, optionsOf } from '@/components/ui/Select';
import { Table, type TableColumn } from '@/components/ui/Table';
import {
  LOGGING_FACILITIES,
  LOGGING_TRAP_LEVELS,
  MAX_LOGGING_HOSTS,
  describeLoggingHost,
  sameLoggingHost,
  type LoggingFacility,
  type LoggingHost,
  type LoggingHostStatus,
  type LoggingSettings as Settings,
  type LoggingView,
} from '@/lib/loggingSettings';
import { fetchLogging, saveLogging } from './loggingApi';
import { LoggingHostForm } from './LoggingHostForm';

// The feeds' figures (lines sent, queued, dropped, link) move on their own: read again every few seconds.
const REFRESH_MS = 3000;
const FACILITY_OPTIONS = optionsOf(Object.keys(LOGGING_FACILITIES) as LoggingFacility[]);

type Row = LoggingHost & { status: LoggingHostStatus | null };

const LINK_TONE = { up: 'success', down: 'danger', connecting: 'warning' } as const;

/** Administration > Logging: the syslog servers, transport, port and trap level; an admin edits, a monitor reads. */
export function LoggingSettings({ canEdit }: { canEdit: boolean }) {
  const [view, setView] = useState<LoggingView | null>(null);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<ResultMessage | null>(null);
  const [issues, setIssues] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    const result = await fetchLogging();
    if (ticket !== latest.current) return;
    if (!result.ok) return setLoadError(result.error);
    setLoadError(null);
    setView(result.data);
    // The form starts from the saved settings and keeps the admin's edits until Save.
    setDraft((current) => current ?? result.data.settings);
  }, []);

  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const save = async () => {
    if (!draft) return;
    setBusy(true);
    const result = await saveLogging(draft);
    setBusy(false);
    if (result.ok) {
      setView(result.data);
      setDraft(result.data.settings);
      setIssues([]);
      setMessage({ tone: 'success', text: 'Saved' });
    } else {
      setIssues(result.issues.map((issue) => `${issue.message} (${issue.path})`));
      setMessage({ tone: 'error', text: result.error });
    }
  };

  if (!view || !draft) return loadError ? <Alert tone="danger">{loadError}</Alert> : <p>Loading…</p>;
  const shown = canEdit ? draft : view.settings;
  const rows: Row[] = shown.hosts.map((host) => ({ ...host, status: view.hosts.find((status) => sameLoggingHost(status, host)) ?? null }));
  const edited = JSON.stringify(draft) !== JSON.stringify(view.settings);
  const columns: TableColumn<Row>[] = [
    { key: 'address', header: 'Server Address', render: (row) => row.address },
    { key: 'transport', header: 'Transport', render: (row) => row.transport.toUpperCase() },
    { key: 'port', header: 'Port', render: (row) => row.port },
    {
      key: 'link',
      header: 'Link',
      render: (row) =>
        row.status ? (
          <Badge tone={LINK_TONE[row.status.link]}>{row.status.link === 'down' ? `Down: ${row.status.lastError ?? 'unreachable'}` : row.status.link === 'up' ? 'Up' : 'Connecting'}</Badge>
        ) : (
          'Not saved yet'
        ),
    },
    { key: 'sent', header: 'Lines Sent', render: (row) => row.status?.linesSent ?? '' },
    { key: 'queued', header: 'Queued', render: (row) => row.status?.queued ?? '' },
    { key: 'dropped', header: 'Dropped', render: (row) => row.status?.linesDropped ?? '' },
    ...(canEdit
      ? [
          {
            key: 'actions',
            header: <span className="visually-hidden">Actions</span>,
            render: (row: Row) => (
              <Button aria-label={`Remove ${describeLoggingHost(row)}`} disabled={busy} onClick={() => setDraft({ ...draft, hosts: draft.hosts.filter((host) => !sameLoggingHost(host, row)) })}>
                Remove
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <div className="user-admin" data-testid="logging-settings">
      <ResultBanner message={message} onDismiss={() => setMessage(null)} testId="logging-message" />
      {issues.length > 0 && (
        <Alert tone="danger" data-testid="logging-issues">
          {issues.map((issue) => (
            <div key={issue}>{issue}</div>
          ))}
        </Alert>
      )}
      {loadError && <Alert tone="warning">{loadError}</Alert>}
      {!canEdit && <Alert tone="info">Your role (monitor) can look but not change anything: ask an admin.</Alert>}
      <Panel id="logging-hosts" title="Syslog Servers" aside={<span className="panel-count">{`${view.trapLinesLogged} message lines logged at level ${view.settings.trap} or above`}</span>}>
        <Table caption="Syslog servers" columns={columns} rows={rows} rowKey={describeLoggingHost} empty="No syslog server: event lines stay on the console (Show logging)." />
        <p className="field-hint">Each host queues up to {view.queueLines} lines while it cannot be reached; later lines are dropped, counted, and one line says how many when it is back.</p>
        {canEdit && (
          <LoggingHostForm
            disabled={busy || draft.hosts.length >= MAX_LOGGING_HOSTS}
            onAdd={(host) => {
              if (draft.hosts.some((listed) => sameLoggingHost(listed, host))) return `${describeLoggingHost(host)} is listed already`;
              setDraft({ ...draft, hosts: [...draft.hosts, host] });
              return null;
            }}
          />
        )}
      </Panel>
      <Panel id="logging-levels" title="Trap Level and Facility">
        <Field id="logging-trap" label="Trap Level" path="trap" hint="Lines at this severity or more severe go to the servers (IOS's logging trap).">
          <Select id="logging-trap" value={shown.trap} options={optionsOf(LOGGING_TRAP_LEVELS)} disabled={!canEdit || busy} onValueChange={(trap) => setDraft({ ...draft, trap })} />
        </Field>
        <Field id="logging-facility" label="Facility" path="facility" hint="The syslog facility of every line (IOS's logging facility; local7 by default).">
          <Select id="logging-facility" value={shown.facility} options={FACILITY_OPTIONS} disabled={!canEdit || busy} onValueChange={(facility) => setDraft({ ...draft, facility })} />
        </Field>
        {canEdit && (
          <div className="form-actions">
            <Button variant="primary" onClick={() => void save()} disabled={busy || !edited} busy={busy}>
              Save
            </Button>
            {edited && <span className="form-actions-note">Not saved yet: Save applies the servers and the levels above.</span>}
          </div>
        )}
      </Panel>
    </div>
  );
}
