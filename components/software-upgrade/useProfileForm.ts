'use client';

import { useCallback, useMemo, useState } from 'react';
import type { ImageDownloadMode, ImageDownloadProfileInput, ImageDownloadProfileView, PasswordType } from '@/lib/imageDownloadProfile';
import {
  EMPTY_PROFILE_FORM,
  formValuesFromProfile,
  parseProfileForm,
  portAfterModeChange,
  withoutErrors,
  type FieldErrors,
  type ProfileFormValues,
} from './profileForm';

type PlainField = 'imageServer' | 'imagePath' | 'port';

/** A validated submission carries the body to send and the exact values it came from. */
export type ProfileSubmission = { ok: true; body: ImageDownloadProfileInput; values: ProfileFormValues } | { ok: false; errors: FieldErrors };

export interface ProfileFormApi {
  values: ProfileFormValues;
  errors: FieldErrors;
  dirty: boolean;
  /** False until the first profile arrived; the form stays disabled so edits are not mixed with blanks. */
  ready: boolean;
  setText: (field: PlainField, value: string) => void;
  setMode: (mode: ImageDownloadMode) => void;
  setParallelMode: (enabled: boolean) => void;
  setUsername: (value: string) => void;
  setPasswordType: (value: PasswordType) => void;
  setPassword: (value: string) => void;
  /** Validates on the client with the API's schema; shows the issues when invalid. */
  submit: () => ProfileSubmission;
  showErrors: (errors: FieldErrors) => void;
  /**
   * The server stored a submission: the form is clean again with the password
   * cleared, unless the user kept typing while the request was in flight.
   */
  markSaved: (submitted: ProfileFormValues, saved?: ImageDownloadProfileView) => void;
}

interface FormState {
  values: ProfileFormValues;
  dirty: boolean;
}

/**
 * The profile form's local state. The server profile fills it whenever the
 * user has nothing unsaved, so a profile saved elsewhere shows up, but typing
 * is never overwritten by a live update.
 */
export function useProfileForm(serverProfile: ImageDownloadProfileView | null): ProfileFormApi {
  const [form, setForm] = useState<FormState>({ values: EMPTY_PROFILE_FORM, dirty: false });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [adopted, setAdopted] = useState<ImageDownloadProfileView | null>(null);

  // Adjusting state while rendering (not in an effect) avoids a frame that shows the stale form.
  if (serverProfile !== null && serverProfile !== adopted) {
    setAdopted(serverProfile);
    if (!form.dirty) setForm({ values: formValuesFromProfile(serverProfile), dirty: false });
  }

  const edit = useCallback((path: string, change: (current: ProfileFormValues) => ProfileFormValues) => {
    setForm((current) => ({ values: change(current.values), dirty: true }));
    setErrors((current) => withoutErrors(current, path));
  }, []);

  const setText = useCallback((field: PlainField, value: string) => edit(field, (v) => ({ ...v, [field]: value })), [edit]);
  const setMode = useCallback(
    (mode: ImageDownloadMode) => edit('mode', (v) => ({ ...v, mode, port: portAfterModeChange(v.port, v.mode, mode) })),
    [edit],
  );
  const setParallelMode = useCallback((enabled: boolean) => edit('parallelMode', (v) => ({ ...v, parallelMode: enabled })), [edit]);
  const setUsername = useCallback((username: string) => edit('sftp.username', (v) => ({ ...v, sftp: { ...v.sftp, username } })), [edit]);
  const setPasswordType = useCallback(
    (passwordType: PasswordType) => edit('sftp.passwordType', (v) => ({ ...v, sftp: { ...v.sftp, passwordType } })),
    [edit],
  );
  const setPassword = useCallback((password: string) => edit('sftp.password', (v) => ({ ...v, sftp: { ...v.sftp, password } })), [edit]);

  const submit = useCallback((): ProfileSubmission => {
    const parsed = parseProfileForm(form.values);
    setErrors(parsed.ok ? {} : parsed.errors);
    return parsed.ok ? { ok: true, body: parsed.body, values: form.values } : parsed;
  }, [form.values]);

  const markSaved = useCallback((submitted: ProfileFormValues, saved?: ImageDownloadProfileView) => {
    setForm((current) => {
      if (current.values !== submitted) return current;
      const values = saved ? formValuesFromProfile(saved) : { ...current.values, sftp: { ...current.values.sftp, password: '' } };
      return { values, dirty: false };
    });
    if (saved) setAdopted(saved);
  }, []);

  const ready = adopted !== null;
  // One object per state change, so callbacks that depend on the form stay stable between renders.
  return useMemo(
    () => ({
      values: form.values,
      errors,
      dirty: form.dirty,
      ready,
      setText,
      setMode,
      setParallelMode,
      setUsername,
      setPasswordType,
      setPassword,
      submit,
      showErrors: setErrors,
      markSaved,
    }),
    [form, errors, ready, setText, setMode, setParallelMode, setUsername, setPasswordType, setPassword, submit, markSaved],
  );
}
