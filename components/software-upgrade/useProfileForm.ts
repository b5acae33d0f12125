'use client';

import { useCallback, useMemo, useState } from 'react';
import { isHostKeyType } from '@/lib/hostKeyType';
import type { ImageDownloadMode, ImageDownloadProfileInput, ImageDownloadProfileView, ServerSlotKey } from '@/lib/imageDownloadProfile';
import {
  EMPTY_PROFILE_FORM,
  formValuesFromProfile,
  parseProfileForm,
  withoutErrors,
  withoutSecrets,
  type FieldErrors,
  type ProfileFormValues,
  type ServerSlotField,
  type SftpFormValues,
} from './profileForm';
import type { CcoFormValues, DesktopFormValues } from './httpModeForm';

/** A validated submission carries the body to send and the exact values it came from. */
export type ProfileSubmission = { ok: true; body: ImageDownloadProfileInput; values: ProfileFormValues } | { ok: false; errors: FieldErrors };

export interface ProfileFormApi {
  values: ProfileFormValues;
  errors: FieldErrors;
  dirty: boolean;
  /** False until the first profile arrived; the form stays disabled so edits are not mixed with blanks. */
  ready: boolean;
  /** Image Server, Image Path or Port of one server mode; the other mode's stay as they are. */
  setServerField: (slot: ServerSlotKey, field: ServerSlotField, value: string) => void;
  setMode: (mode: ImageDownloadMode) => void;
  setParallelMode: (enabled: boolean) => void;
  setSftp: <K extends keyof SftpFormValues>(field: K, value: SftpFormValues[K]) => void;
  setCco: <K extends keyof CcoFormValues>(field: K, value: CcoFormValues[K]) => void;
  setDesktop: <K extends keyof DesktopFormValues>(field: K, value: DesktopFormValues[K]) => void;
  /**
   * Puts a fingerprint the user just trusted into the form and returns the
   * values it makes, so a retry can submit them before React re-renders.
   */
  /** Puts the confirmed key in the form, with its type so that the download asks the server for that key first. */
  trustHostKey: (fingerprint: string, keyType: string) => ProfileFormValues;
  /** Validates on the client with the API's schema; shows the issues when invalid. */
  submit: (values?: ProfileFormValues) => ProfileSubmission;
  showErrors: (errors: FieldErrors) => void;
  /** Adds errors to those shown, e.g. for the fields one request depends on. */
  addErrors: (errors: FieldErrors) => void;
  /**
   * The server stored a submission: the form is clean again with the secrets
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

  const setServerField = useCallback((slot: ServerSlotKey, field: ServerSlotField, value: string) => edit(`${slot}.${field}`, (v) => ({ ...v, [slot]: { ...v[slot], [field]: value } })), [edit]);
  // Only the mode: each server mode keeps its own server, path and port.
  const setMode = useCallback((mode: ImageDownloadMode) => edit('mode', (v) => ({ ...v, mode })), [edit]);
  const setParallelMode = useCallback((enabled: boolean) => edit('parallelMode', (v) => ({ ...v, parallelMode: enabled })), [edit]);
  const setSftp = useCallback(<K extends keyof SftpFormValues>(field: K, value: SftpFormValues[K]) => edit(`sftp.${field}`, (v) => ({ ...v, sftp: { ...v.sftp, [field]: value } })), [edit]);

  const setCco = useCallback(<K extends keyof CcoFormValues>(field: K, value: CcoFormValues[K]) => edit(`cco.${field}`, (v) => ({ ...v, cco: { ...v.cco, [field]: value } })), [edit]);
  const setDesktop = useCallback(
    <K extends keyof DesktopFormValues>(field: K, value: DesktopFormValues[K]) => edit(`desktop.${field}`, (v) => ({ ...v, desktop: { ...v.desktop, [field]: value } })),
    [edit],
  );

  const trustHostKey = useCallback(
    (fingerprint: string, keyType: string): ProfileFormValues => {
      // A modal dialog is open while this runs, so no keystroke can land between render and this update.
      const hostKeyType: SftpFormValues['hostKeyType'] = isHostKeyType(keyType) ? keyType : '';
      const values = { ...form.values, sftp: { ...form.values.sftp, hostKeyFingerprint: fingerprint, hostKeyType } };
      setForm({ values, dirty: true });
      setErrors((current) => withoutErrors(current, 'sftp.hostKeyFingerprint'));
      return values;
    },
    [form.values],
  );

  const submit = useCallback(
    (values: ProfileFormValues = form.values): ProfileSubmission => {
      const parsed = parseProfileForm(values, { hasPassword: adopted?.sftp.hasPassword === true, hasPrivateKey: adopted?.sftp.hasPrivateKey === true });
      setErrors(parsed.ok ? {} : parsed.errors);
      return parsed.ok ? { ok: true, body: parsed.body, values } : parsed;
    },
    [form.values, adopted],
  );

  const addErrors = useCallback((added: FieldErrors) => setErrors((current) => ({ ...current, ...added })), []);

  const markSaved = useCallback((submitted: ProfileFormValues, saved?: ImageDownloadProfileView) => {
    setForm((current) => {
      if (current.values !== submitted) return current;
      return { values: saved ? formValuesFromProfile(saved) : withoutSecrets(current.values), dirty: false };
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
      setServerField,
      setMode,
      setParallelMode,
      setSftp,
      setCco,
      setDesktop,
      trustHostKey,
      submit,
      showErrors: setErrors,
      addErrors,
      markSaved,
    }),
    [form, errors, ready, setServerField, setMode, setParallelMode, setSftp, setCco, setDesktop, trustHostKey, submit, addErrors, markSaved],
  );
}
