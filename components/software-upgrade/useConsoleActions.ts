'use client';

import { useTranslations } from 'next-intl';
import { useRefusalText } from '@/components/ui/useServerSentence';
import { useCallback, useRef, useState } from 'react';
import type { BackupReplacement } from '@/lib/backupReplacement';
import type { HostKeyInfo, ImageDownloadProfileView } from '@/lib/imageDownloadProfile';
import { cancelUpgrade, fetchHostKey, saveProfile, startDownload, type ApiFailure, type ApiResult } from './consoleApi';
import { FIELD_PATHS, fieldId, issuesToErrors, parseHostKeyRequest, visibleFieldPaths, type FieldErrors, type ProfileFormValues } from './profileForm';
import type { ActivateRequest, PredownloadTargets } from '@/lib/rollout';

export interface DownloadExtras {
  targets?: PredownloadTargets;
  at?: string;
  /** The admin confirmed that APs running the bundle's version lose their backup image to it. */
  confirmReplaceBackup?: boolean;
}
import { activateWith } from './maintenanceRequests';
import type { ActionMessage, ActionRunner, ConsoleActionName } from './useActionRunner';
import type { ProfileFormApi } from './useProfileForm';

type ProfileAction = 'save' | 'download';

/** A host key waiting for the user's verdict, and the submission to retry once it is trusted. */
export interface HostKeyPrompt {
  hostKey: HostKeyInfo;
  /** Null when the user asked for the key with "Get host key": trusting only fills the field. */
  retry: ProfileAction | null;
  /** The server's refusal, for the banner if the user does not trust the key. */
  refusal: string | null;
}

export interface ConsoleActionsApi {
  busy: ConsoleActionName | null;
  message: ActionMessage | null;
  save: () => void;
  /** Save & Download, to the targets given (every AP without), now or at `at`. */
  saveAndDownload: (extras?: DownloadExtras) => void;
  /** Activate now or at a time, with the activation options (all at once or rolling). */
  activate: (options?: Partial<ActivateRequest>) => void;
  cancel: () => void;
  dismissMessage: () => void;
  getHostKey: () => void;
  hostKeyPrompt: HostKeyPrompt | null;
  trustHostKey: () => void;
  distrustHostKey: () => void;
  /** A Save & Download that would replace backup images with the running version, waiting for the admin's answer. */
  backupPrompt: BackupReplacement | null;
  replaceBackups: () => void;
  keepBackups: () => void;
}

function focusFirstError(errors: FieldErrors): void {
  const first = FIELD_PATHS.find((path) => path in errors);
  if (first) document.getElementById(fieldId(first))?.focus();
}

/** The form's and the upgrade's buttons, and the host key trust they may need first. */
export function useConsoleActions(form: ProfileFormApi, runner: ActionRunner, applyProfile: (profile: ImageDownloadProfileView) => void): ConsoleActionsApi {
  const t = useTranslations('messages');
  const refusalText = useRefusalText();
  const { run, inFlight, setMessage } = runner;
  const [hostKeyPrompt, setHostKeyPrompt] = useState<HostKeyPrompt | null>(null);
  const [backupPrompt, setBackupPrompt] = useState<BackupReplacement | null>(null);
  // The targets and time of the last Save & Download, kept for its retry after a host key is trusted.
  const downloadExtras = useRef<DownloadExtras>({});

  /** Issues on a visible field go under it; the rest (and the summary) go to the banner. */
  const showFailure = useCallback(
    (result: ApiFailure) => {
      const visible = new Set<string>(visibleFieldPaths(form.values));
      const placed = result.issues.filter((issue) => visible.has(issue.path));
      const unplaced = result.issues.filter((issue) => !visible.has(issue.path)).map((issue) => issue.message);
      if (placed.length > 0) {
        const errors = issuesToErrors(placed);
        form.showErrors(errors);
        focusFirstError(errors);
      }
      setMessage({ tone: 'error', text: [refusalText(result), ...unplaced].join(' '), aboutForm: false });
    },
    [form, setMessage, refusalText],
  );

  const submitProfile = useCallback(
    async (name: ProfileAction, values?: ProfileFormValues) => {
      if (inFlight()) return;
      const submission = form.submit(values);
      if (!submission.ok) {
        setMessage(null);
        focusFirstError(submission.errors);
        return;
      }
      /** An untrusted host key asks the user instead of failing; the prompt retries this same action. */
      const refused = (result: ApiFailure) => {
        if (result.hostKey) return setHostKeyPrompt({ hostKey: result.hostKey, retry: name, refusal: refusalText(result) });
        if (result.backupReplacement) return setBackupPrompt(result.backupReplacement);
        showFailure(result);
      };
      if (name === 'save') {
        const result = await run(name, () => saveProfile(submission.body));
        if (!result.ok) return refused(result);
        if (result.data) applyProfile(result.data);
        form.markSaved(submission.values, result.data ?? undefined);
        setMessage({ tone: 'success', text: t('saved'), aboutForm: true });
      } else {
        const extras = downloadExtras.current;
        const result = await run(name, () => startDownload({ ...submission.body, ...extras }));
        if (!result.ok) return refused(result);
        // The download saves the profile too; the stored view follows on the socket.
        form.markSaved(submission.values);
        setMessage({ tone: 'success', text: t(extras.at ? 'downloadScheduled' : 'downloadStarted'), aboutForm: false });
      }
    },
    [applyProfile, form, inFlight, run, setMessage, showFailure, t, refusalText],
  );

  const getHostKey = useCallback(async () => {
    if (inFlight()) return;
    const request = parseHostKeyRequest(form.values);
    if (!request.ok) {
      setMessage(null);
      form.addErrors(request.errors);
      focusFirstError(request.errors);
      return;
    }
    const result = await run('hostKey', () => fetchHostKey(request.body));
    if (!result.ok) return showFailure(result);
    setHostKeyPrompt({ hostKey: result.data, retry: null, refusal: null });
  }, [form, inFlight, run, setMessage, showFailure]);

  const trustHostKey = useCallback(() => {
    if (!hostKeyPrompt) return;
    setHostKeyPrompt(null);
    const values = form.trustHostKey(hostKeyPrompt.hostKey.fingerprint, hostKeyPrompt.hostKey.keyType);
    if (hostKeyPrompt.retry) void submitProfile(hostKeyPrompt.retry, values);
  }, [form, hostKeyPrompt, submitProfile]);

  const distrustHostKey = useCallback(() => {
    // A refused Save & Download must still say why nothing started.
    if (hostKeyPrompt?.refusal) setMessage({ tone: 'error', text: hostKeyPrompt.refusal, aboutForm: false });
    setHostKeyPrompt(null);
  }, [hostKeyPrompt, setMessage]);

  const command = useCallback(
    async (name: 'activate' | 'cancel', call: () => Promise<ApiResult<unknown>>, done: string) => {
      if (inFlight()) return;
      const result = await run(name, call);
      if (!result.ok) return showFailure(result);
      setMessage({ tone: 'success', text: done, aboutForm: false });
    },
    [inFlight, run, setMessage, showFailure],
  );

  return {
    busy: runner.busy,
    message: runner.message,
    save: () => void submitProfile('save'),
    saveAndDownload: (extras = {}) => {
      downloadExtras.current = extras;
      void submitProfile('download');
    },
    activate: (options = {}) => void command('activate', () => activateWith(options), t(options.at ? 'activationScheduled' : 'activationRequested')),
    cancel: () => void command('cancel', cancelUpgrade, t('cancelRequested')),
    dismissMessage: () => setMessage(null),
    getHostKey: () => void getHostKey(),
    hostKeyPrompt,
    trustHostKey,
    distrustHostKey,
    backupPrompt,
    replaceBackups: () => {
      setBackupPrompt(null);
      downloadExtras.current = { ...downloadExtras.current, confirmReplaceBackup: true };
      void submitProfile('download');
    },
    keepBackups: () => {
      setBackupPrompt(null);
      setMessage({ tone: 'success', text: t('backupsKept'), aboutForm: false });
    },
  };
}
