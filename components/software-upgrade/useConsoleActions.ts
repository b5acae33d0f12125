'use client';

import { useCallback, useRef, useState } from 'react';
import type { ImageDownloadProfileView } from '@/lib/imageDownloadProfile';
import { activateUpgrade, cancelUpgrade, saveProfile, startDownload, type ApiResult } from './consoleApi';
import { FIELD_PATHS, fieldId, issuesToErrors, visibleFieldPaths, type FieldErrors } from './profileForm';
import type { ProfileFormApi } from './useProfileForm';

export type ConsoleActionName = 'save' | 'download' | 'activate' | 'cancel';

/** What the last action reported, for the action banner. */
export interface ActionMessage {
  tone: 'success' | 'error';
  text: string;
  /** A "Saved" confirmation is stale as soon as the form is edited again. */
  aboutForm: boolean;
}

export interface ConsoleActionsApi {
  busy: ConsoleActionName | null;
  message: ActionMessage | null;
  save: () => void;
  saveAndDownload: () => void;
  activate: () => void;
  cancel: () => void;
  dismissMessage: () => void;
}

function focusFirstError(errors: FieldErrors): void {
  const first = FIELD_PATHS.find((path) => path in errors);
  if (first) document.getElementById(fieldId(first))?.focus();
}

/** The four buttons' requests, one at a time, and what they report back. */
export function useConsoleActions(form: ProfileFormApi, applyProfile: (profile: ImageDownloadProfileView) => void): ConsoleActionsApi {
  const [busy, setBusy] = useState<ConsoleActionName | null>(null);
  const [message, setMessage] = useState<ActionMessage | null>(null);
  // Disabled buttons do not stop Enter in a field from submitting again; this does.
  const inFlight = useRef(false);

  const start = useCallback((name: ConsoleActionName) => {
    inFlight.current = true;
    setBusy(name);
    setMessage(null);
  }, []);

  const finish = useCallback(() => {
    inFlight.current = false;
    setBusy(null);
  }, []);

  /** Issues on a visible field go under it; the rest (and the summary) go to the banner. */
  const showFailure = useCallback(
    (result: Extract<ApiResult<unknown>, { ok: false }>) => {
      const visible = new Set<string>(visibleFieldPaths(form.values.mode));
      const placed = result.issues.filter((issue) => visible.has(issue.path));
      const unplaced = result.issues.filter((issue) => !visible.has(issue.path)).map((issue) => issue.message);
      if (placed.length > 0) {
        const errors = issuesToErrors(placed);
        form.showErrors(errors);
        focusFirstError(errors);
      }
      setMessage({ tone: 'error', text: [result.error, ...unplaced].join(' '), aboutForm: false });
    },
    [form],
  );

  const submitProfile = useCallback(
    async (name: 'save' | 'download') => {
      if (inFlight.current) return;
      const submission = form.submit();
      if (!submission.ok) {
        setMessage(null);
        focusFirstError(submission.errors);
        return;
      }
      start(name);
      if (name === 'save') {
        const result = await saveProfile(submission.body);
        finish();
        if (!result.ok) return showFailure(result);
        if (result.data) applyProfile(result.data);
        form.markSaved(submission.values, result.data ?? undefined);
        setMessage({ tone: 'success', text: 'Saved', aboutForm: true });
      } else {
        const result = await startDownload(submission.body);
        finish();
        if (!result.ok) return showFailure(result);
        // The download saves the profile too; the stored view follows on the socket.
        form.markSaved(submission.values);
        setMessage({ tone: 'success', text: 'Saved. Download started', aboutForm: false });
      }
    },
    [applyProfile, finish, form, showFailure, start],
  );

  const command = useCallback(
    async (name: 'activate' | 'cancel', call: () => Promise<ApiResult<unknown>>, done: string) => {
      if (inFlight.current) return;
      start(name);
      const result = await call();
      finish();
      if (!result.ok) return showFailure(result);
      setMessage({ tone: 'success', text: done, aboutForm: false });
    },
    [finish, showFailure, start],
  );

  return {
    busy,
    message,
    save: () => void submitProfile('save'),
    saveAndDownload: () => void submitProfile('download'),
    activate: () => void command('activate', activateUpgrade, 'Activation requested'),
    cancel: () => void command('cancel', cancelUpgrade, 'Cancel requested'),
    dismissMessage: () => setMessage(null),
  };
}
